/**
 * The 'datasets.*' service handlers: list, page (fast thumbnails, class filter), item
 * (sentence encoded on the fly), stats (with token figures once a cache exists), remove
 * (built-ins refused), and import / buildTokens starting jobs through the supervisor.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSentence, encodeImage, geometryFor, psnr } from '../../../src/core/language/index';
import type { JobSupervisor } from '../../../src/node/jobs/types';
import { runImport } from '../../../src/node/datasets/importers';
import { ensureTokenCache } from '../../../src/node/datasets/token-cache';
import { createDatasetHandlers } from '../../../src/node/service/datasets';
import type { JobKind } from '../../../src/shared/dto';
import { GOOD, tempWorkspace } from './helpers';

function fakeJobs(): { jobs: JobSupervisor; started: { kind: JobKind; request: unknown }[] } {
  const started: { kind: JobKind; request: unknown }[] = [];
  const jobs = {
    start: (kind: JobKind, request: unknown) => {
      started.push({ kind, request });
      return { jobId: `job-${started.length}`, kind };
    },
  } as unknown as JobSupervisor;
  return { jobs, started };
}

describe('datasets service', () => {
  const ws = tempWorkspace();
  const { jobs, started } = fakeJobs();
  const h = createDatasetHandlers({ workspace: ws.root, jobs, mode: 'electron' });
  let id = '';
  beforeAll(async () => {
    id = (await runImport(ws.root, { name: 'bars', source: { kind: 'npy', images: join(GOOD, 'npy', 'keras.npz') } })).id;
  });
  afterAll(() => ws.cleanup());

  it('lists the built-ins and the imported dataset', async () => {
    const list = await h['datasets.list']({});
    expect(list.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist', id]);
    expect(list[2].counts).toEqual({ train: 9, test: 3 });
  });

  it('pages 200 MNIST thumbnails in a few milliseconds once loaded', async () => {
    await h['datasets.page']({ datasetId: 'mnist', split: 'test', label: null, offset: 0, limit: 1 });
    const t0 = performance.now();
    const page = await h['datasets.page']({ datasetId: 'mnist', split: 'test', label: null, offset: 100, limit: 200 });
    const ms = performance.now() - t0;
    expect(page.total).toBe(10000);
    expect(page.items).toHaveLength(200);
    expect(page.items[0].index).toBe(100);
    expect(Buffer.from(page.items[0].pixels, 'base64')).toHaveLength(784);
    expect(ms).toBeLessThan(50);
  });

  it('filters a page by class, with indices within the split', async () => {
    const page = await h['datasets.page']({ datasetId: 'mnist', split: 'test', label: 7, offset: 0, limit: 5 });
    expect(page.total).toBeGreaterThan(900);
    expect(page.items.every((t) => t.label === 7)).toBe(true);
    expect(page.items[0].index).toBe(0); // the first test digit is a 7
    await expect(h['datasets.page']({ datasetId: 'mnist', split: 'test', label: 10, offset: 0, limit: 5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('gives an item with its sentence, which decodes back close to the image', async () => {
    const item = await h['datasets.item']({ datasetId: 'mnist', split: 'train', index: 3 });
    const pixels = new Uint8Array(Buffer.from(item.pixels, 'base64'));
    expect(item.tokenizer).toEqual({ wavelet: 'haar', finalExponent: -3, variant: 'blocks' });
    const encoded = encodeImage(pixels, 28, 28, item.tokenizer);
    expect(item.sentence.tokens).toEqual(Array.from(encoded.tokens));
    const decoded = decodeSentence(item.sentence.tokens, item.sentence.startExponent, geometryFor(28, 28), item.tokenizer);
    expect(psnr(decoded.pixels, pixels)).toBeGreaterThan(25);
    await expect(h['datasets.item']({ datasetId: 'mnist', split: 'test', index: 10000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h['datasets.item']({ datasetId: 'nope', split: 'test', index: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stats: class counts always, token figures once a cache exists', async () => {
    const before = await h['datasets.stats']({ datasetId: id });
    expect(before.classCounts).toEqual({ train: [3, 3, 3], test: [1, 1, 1] });
    expect(before.lengths).toBeUndefined();
    await ensureTokenCache(ws.root, id, before.tokenizer ?? { wavelet: 'haar', finalExponent: -3, variant: 'blocks' });
    const after = await h['datasets.stats']({ datasetId: id });
    expect(after.lengths?.min).toBeGreaterThan(0);
    expect(after.lengths?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(12);
    expect(Object.values(after.startExponents ?? {}).reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('starts import and tokenize jobs, refusing missing files and unknown datasets at once', async () => {
    const ref = await h['datasets.import']({ name: 'x', testFraction: 0.1, source: { kind: 'npy', images: join(GOOD, 'npy', 'images.npy') } });
    expect(ref.kind).toBe('import');
    await expect(h['datasets.import']({ name: 'x', testFraction: 0.1, source: { kind: 'csv', path: '/no/such.csv', maxSize: 256, resize: false } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const tok = await h['datasets.buildTokens']({ datasetId: 'mnist', tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } });
    expect(tok.kind).toBe('tokenize');
    await expect(h['datasets.buildTokens']({ datasetId: 'nope', tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(started.map((s) => s.kind)).toEqual(['import', 'tokenize']);
  });

  it('removes imported datasets and their caches, never built-ins', async () => {
    await expect(h['datasets.remove']({ datasetId: 'mnist' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await h['datasets.remove']({ datasetId: id })).toEqual({ removed: true });
    expect((await h['datasets.list']({})).map((d) => d.id)).toEqual(['mnist', 'fashion-mnist']);
    await expect(h['datasets.remove']({ datasetId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
