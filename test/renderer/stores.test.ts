// @vitest-environment happy-dom
/**
 * Renderer stores with a fresh Pinia and a fake API: dataset paging and caching, the jobs
 * tray's event folding, training metrics merging and reattachment, the sampler applying
 * token events and regenerating from a prefix, the region mask's undo/redo.
 */
import { nextTick } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import { useDatasetsStore, PAGE_SIZE } from '../../src/renderer/stores/datasets';
import { applyJobEvent, useJobsStore } from '../../src/renderer/stores/jobs';
import { mergeMetrics, useTrainingStore } from '../../src/renderer/stores/training';
import { applyTokens, useSamplerStore } from '../../src/renderer/stores/sampler';
import { paintDisc, useRegionStore } from '../../src/renderer/stores/region';
import { useAppStore } from '../../src/renderer/stores/app';
import { createFakeApi, grayBase64, type FakeApi } from './fake-api';
import { encodeImage } from '../../src/core/language';
import type { DatasetPageRequest } from '../../src/shared/schemas';
import type { DatasetSummary, JobSnapshot, ModelSummary } from '../../src/shared/dto';

const TOKENIZER = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;
const MNIST: DatasetSummary = {
  id: 'mnist', name: 'MNIST', builtin: true, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], width: 28, height: 28,
  counts: { train: 60000, test: 10000 }, source: 'builtin', contentHash: 'x', defaultTokenizer: TOKENIZER, notes: [],
};

function datasetFake(): FakeApi {
  return createFakeApi({
    'datasets.list': () => [MNIST],
    'datasets.stats': () => ({ datasetId: 'mnist', classCounts: { train: [], test: [] } }),
    'datasets.page': (r) => {
      const req = r as DatasetPageRequest;
      const total = req.label === null ? 60000 : 6000;
      const n = Math.max(0, Math.min(req.limit, total - req.offset));
      return { total, width: 28, height: 28, items: Array.from({ length: n }, (_, i) => ({ index: req.offset + i, label: (req.offset + i) % 10, pixels: grayBase64(784, (req.offset + i) % 256) })) };
    },
  });
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('datasets store', () => {
  it('loads the list, selects the first dataset and fetches page 0 for the total', async () => {
    const fake = datasetFake();
    setApi(fake.api);
    const store = useDatasetsStore();
    await store.loadList();
    expect(store.selectedId).toBe('mnist');
    expect(store.total).toBe(60000);
    expect(store.thumbAt(5)?.pixels[0]).toBe(5);
    expect(store.thumbAt(5)?.pixels.length).toBe(784);
  });

  it('fetches only the pages a range needs, once each, and serves repeats from the cache', async () => {
    const fake = datasetFake();
    setApi(fake.api);
    const store = useDatasetsStore();
    await store.loadList();
    const pagesBefore = fake.calls.filter((c) => c.channel === 'datasets.page').length;
    const far = 40000;
    await Promise.all([store.ensureRange(far, far + PAGE_SIZE), store.ensureRange(far, far + 10)]); // second one is in flight
    const pageCalls = fake.calls.filter((c) => c.channel === 'datasets.page').slice(pagesBefore);
    expect(pageCalls.map((c) => (c.request as DatasetPageRequest).offset)).toEqual([Math.floor(far / PAGE_SIZE) * PAGE_SIZE, (Math.floor(far / PAGE_SIZE) + 1) * PAGE_SIZE]);
    await store.ensureRange(far, far + PAGE_SIZE);
    expect(fake.calls.filter((c) => c.channel === 'datasets.page').length).toBe(pagesBefore + 2);
    expect(store.thumbAt(far)?.index).toBe(far);
  });

  it('a class filter gets its own pages and total', async () => {
    const fake = datasetFake();
    setApi(fake.api);
    const store = useDatasetsStore();
    await store.loadList();
    await store.setFilter({ label: 3 });
    expect(store.total).toBe(6000);
    const last = fake.calls[fake.calls.length - 1].request as DatasetPageRequest;
    expect(last.label).toBe(3);
    expect(store.cachedPageCount()).toBe(2);
  });

  it('reports a failed page load as one sentence', async () => {
    const fake = createFakeApi({ 'datasets.list': () => [MNIST] }); // page and stats missing -> NOT_FOUND
    setApi(fake.api);
    const store = useDatasetsStore();
    await store.loadList();
    expect(useAppStore().notices[0].text).toMatch(/^Loading thumbnails failed: .*; refresh the list and pick another one\.$/);
  });
});

describe('jobs store', () => {
  it('folds events into job views and notes the backend', () => {
    setApi(createFakeApi({}).api);
    const jobs = useJobsStore();
    jobs.handle({ jobId: 'j', kind: 'train', type: 'started', backend: 'wasm', total: 100 });
    jobs.handle({ jobId: 'j', kind: 'train', type: 'progress', done: 40, total: 100, etaSec: 12, rssMb: 300 });
    expect(jobs.jobs.j).toMatchObject({ state: 'running', done: 40, total: 100, etaSec: 12, backend: 'wasm', rssMb: 300 });
    expect(useAppStore().backend).toBe('wasm');
    const cancelled = applyJobEvent(jobs.jobs.j, { jobId: 'j', kind: 'train', type: 'error', code: 'CANCELLED', message: 'stopped' }, 0);
    expect(cancelled.state).toBe('cancelled');
    expect(jobs.jobs.j.state).toBe('running'); // applyJobEvent does not mutate
  });
});

describe('training store', () => {
  it('merges train and validation points by step, keeping steps sorted', () => {
    let m = mergeMetrics([], { step: 20, trainLoss: 1.5, wallSec: 2 });
    m = mergeMetrics(m, { step: 10, trainLoss: 1.9, wallSec: 1 });
    m = mergeMetrics(m, { step: 20, valLoss: 1.7, wallSec: 2.1 });
    expect(m).toEqual([{ step: 10, trainLoss: 1.9, wallSec: 1 }, { step: 20, trainLoss: 1.5, valLoss: 1.7, wallSec: 2.1 }]);
  });

  it('re-attaches to a live training job after a reload and follows only its events', async () => {
    const snapshot: JobSnapshot = {
      jobId: 'train-1', kind: 'train', state: 'running', startedAt: 1, backend: 'cpu', lastProgress: { done: 5, total: 50 },
      metrics: [{ step: 5, trainLoss: 2, wallSec: 1 }], request: { runId: 'run-a' },
    };
    const fake = createFakeApi({
      'runs.list': () => [],
      'jobs.list': () => [snapshot],
      'runs.get': () => ({ runId: 'run-a', datasetId: 'mnist', preset: 'tiny', step: 5, totalSteps: 50, updatedAt: 1, hasCheckpoint: false, config: {}, metrics: [], gallery: [] }),
    });
    setApi(fake.api);
    const store = useTrainingStore();
    await store.restore();
    expect(store.jobId).toBe('train-1');
    expect(store.runId).toBe('run-a');
    expect(store.metrics).toHaveLength(1);
    fake.emit({ jobId: 'train-1', kind: 'train', type: 'metrics', point: { step: 6, trainLoss: 1.9, wallSec: 2 } });
    fake.emit({ jobId: 'other', kind: 'train', type: 'metrics', point: { step: 7, trainLoss: 9, wallSec: 2 } });
    fake.emit({ jobId: 'train-1', kind: 'train', type: 'state', state: 'paused' });
    expect(store.metrics.map((p) => p.step)).toEqual([5, 6]);
    expect(store.state).toBe('paused');
  });

  it('refreshes the model lists when its run ends (stopped or finished), so the new model can be sampled', async () => {
    let listed = 0;
    const snapshot: JobSnapshot = { jobId: 'train-2', kind: 'train', state: 'running', startedAt: 1, metrics: [], request: { runId: 'run-b' } };
    const fake = createFakeApi({
      'runs.list': () => [], 'jobs.list': () => [snapshot], 'models.list': () => { listed += 1; return []; },
      'runs.get': () => ({ runId: 'run-b', datasetId: 'mnist', preset: 'tiny', step: 1, totalSteps: 5, updatedAt: 1, hasCheckpoint: false, config: {}, metrics: [], gallery: [] }),
    });
    setApi(fake.api);
    const store = useTrainingStore();
    await store.restore();
    fake.emit({ jobId: 'train-2', kind: 'train', type: 'state', state: 'paused' });
    fake.emit({ jobId: 'other', kind: 'train', type: 'state', state: 'cancelled' });
    expect(listed).toBe(0);
    fake.emit({ jobId: 'train-2', kind: 'train', type: 'state', state: 'cancelled' });
    expect(listed).toBe(1);
    fake.emit({ jobId: 'train-2', kind: 'train', type: 'done', result: { runId: 'run-b' } });
    expect(listed).toBe(2);
  });
});

const MODEL: ModelSummary = { modelId: 'm1', source: 'starter', datasetId: 'mnist', classes: MNIST.classes, tokenizer: TOKENIZER, width: 28, height: 28, size: 32, params: 1000, step: 10, classDropout: 0 };

describe('sampler store', () => {
  it('places token chunks and whole prefixes at the right offset', () => {
    const a = applyTokens(new Uint8Array(0), [2, 3], 2);
    const b = applyTokens(a, [2, 2, 1], 5);
    expect(Array.from(b)).toEqual([2, 3, 2, 2, 1]);
    expect(Array.from(applyTokens(b, [2, 3, 2, 2, 1, 0], 6))).toEqual([2, 3, 2, 2, 1, 0]);
  });

  it('after a reload follows the newest sample job from its snapshot, then from its events', async () => {
    const running: JobSnapshot = {
      jobId: 's9', kind: 'sample', state: 'running', startedAt: 2, metrics: [],
      request: { modelId: 'm1', classIndex: 4, count: 2, seed: 11, sampling: { temperature: 0.8, topK: 0, topP: 1 } },
      partial: [{ sample: 0, tokens: [2, 3, 2], startExponent: 1 }, { sample: 1, tokens: [3], startExponent: 0 }],
    };
    const older: JobSnapshot = { ...running, jobId: 's1', startedAt: 1, state: 'done', partial: undefined, result: { sentences: [] } };
    const fake = createFakeApi({ 'jobs.list': () => [older, running] });
    setApi(fake.api);
    const store = useSamplerStore();
    await store.reattach();
    expect(store.jobId).toBe('s9');
    expect(store.state).toBe('running');
    expect(store.candidates.map((c) => [c.sample, Array.from(c.tokens), c.classIndex, c.seed])).toEqual([[0, [2, 3, 2], 4, 11], [1, [3], 4, 12]]);
    fake.emit({ jobId: 's9', kind: 'sample', type: 'tokens', sample: 0, tokens: [4], startExponent: 1, length: 4, total: 9 });
    expect(Array.from(store.candidates[0].tokens)).toEqual([2, 3, 2, 4]);
  });

  it("takes the chosen model's recommended sampling, and the defaults for a model without one", async () => {
    const starter: ModelSummary = { ...MODEL, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 2 } };
    const run: ModelSummary = { ...MODEL, modelId: 'r1', source: 'run' };
    let request: unknown;
    setApi(createFakeApi({ 'models.list': () => [starter, run], 'jobs.sample': (r) => { request = r; return { jobId: 's1', kind: 'sample' }; } }).api);
    const store = useSamplerStore();
    await store.loadModels();
    await nextTick();
    expect(store.modelId).toBe('m1');
    expect(store.settings.sampling).toEqual({ temperature: 1, topK: 0, topP: 0.6, guidance: 2, guidancePlanes: 0 });
    await store.generate();
    expect(request).toMatchObject({ modelId: 'm1', sampling: { topP: 0.6, guidance: 2 } });
    store.modelId = 'r1';
    await nextTick();
    expect(store.settings.sampling).toEqual({ temperature: 1, topK: 0, topP: 1, guidance: 1, guidancePlanes: 0 });
    store.settings.sampling.temperature = 0.7; // the user's own change stays while the model stays
    await nextTick();
    expect(store.settings.sampling.temperature).toBe(0.7);
  });

  it('grows candidates from tokens events, finishes them on done, ignores other jobs', async () => {
    const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.sample': () => ({ jobId: 's1', kind: 'sample' }) });
    setApi(fake.api);
    const store = useSamplerStore();
    await store.loadModels();
    expect(await store.generate()).toBe(true);
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 0, tokens: [2, 3], startExponent: 1, length: 2, total: 200 });
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 1, tokens: [3], startExponent: 0, length: 1, total: 200 });
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 0, tokens: [2], startExponent: 1, length: 3, total: 200 });
    fake.emit({ jobId: 'zz', kind: 'sample', type: 'tokens', sample: 0, tokens: [6], startExponent: 1, length: 4, total: 200 });
    expect(store.candidates.map((c) => Array.from(c.tokens))).toEqual([[2, 3, 2], [3]]);
    fake.emit({ jobId: 's1', kind: 'sample', type: 'done', result: { sentences: [{ tokens: [2, 3, 2, 4], startExponent: 1, classIndex: 0, seed: 0, size: 32, width: 28, height: 28 }] } });
    expect(store.state).toBe('done');
    expect(Array.from(store.candidates[0].tokens)).toEqual([2, 3, 2, 4]);
    expect(store.candidates.every((c) => c.done)).toBe(true);
  });

  it('regenerates from a token with the prefix and new settings, keeping kept candidates', async () => {
    let next = 0;
    const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.sample': () => ({ jobId: `s${++next}`, kind: 'sample' }) });
    setApi(fake.api);
    const store = useSamplerStore();
    await store.loadModels();
    await store.generate();
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 0, tokens: [2, 3, 2, 2], startExponent: 1, length: 4, total: 4 });
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 1, tokens: [3, 3], startExponent: 1, length: 2, total: 4 });
    const [first, second] = store.candidates;
    store.keep(second.key);
    store.settings.sampling = { temperature: 0.5, topK: 2, topP: 1, guidance: 1 };
    await store.generate(first, 2);
    const req = fake.calls.filter((c) => c.channel === 'jobs.sample')[1].request as Record<string, unknown>;
    expect(req.prefix).toEqual({ tokens: [2, 3, 2, 2], startExponent: 1 });
    expect(req.from).toBe(2);
    expect(req.sampling).toEqual({ temperature: 0.5, topK: 2, topP: 1, guidance: 1, guidancePlanes: 0 });
    expect(store.candidates.map((c) => c.key)).toEqual([first.key, second.key]);
    fake.emit({ jobId: 's2', kind: 'sample', type: 'tokens', sample: 0, tokens: [4], startExponent: 1, length: 3, total: 4 });
    expect(Array.from(store.candidates[2].tokens)).toEqual([2, 3, 4]); // the kept prefix, then the new token
  });
});

describe('region store', () => {
  function loadSource(): ReturnType<typeof useRegionStore> {
    const store = useRegionStore();
    const pixels = new Uint8Array(28 * 28).map((_, i) => ((i % 28) > 10 && (i % 28) < 16 ? 200 : 0));
    const e = encodeImage(pixels, 28, 28, TOKENIZER);
    store.load({ title: 't', width: 28, height: 28, sentence: { tokens: e.tokens, startExponent: e.startExponent }, tokenizer: TOKENIZER, classIndex: 1 });
    return store;
  }

  it('paints discs without touching the input mask', () => {
    const mask = new Uint8Array(25);
    const out = paintDisc(mask, 5, 5, 2, 2, 1, 1);
    expect(mask.every((v) => v === 0)).toBe(true);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('undoes and redoes strokes, invert and clear in order', () => {
    setApi(createFakeApi({}).api);
    const store = loadSource();
    store.checkpoint();
    store.dab(5, 5, 1, false);
    const afterStroke = store.maskCount;
    store.invert();
    expect(store.maskCount).toBe(784 - afterStroke);
    store.undo();
    expect(store.maskCount).toBe(afterStroke);
    store.undo();
    expect(store.maskCount).toBe(0);
    store.redo();
    store.redo();
    expect(store.maskCount).toBe(784 - afterStroke);
    store.undo();
    store.clear(); // a new change drops the redo stack
    expect(store.redoStack).toHaveLength(0);
  });

  it('re-codes the source in the language of the editing model from the true pixels before an edit', async () => {
    const fake = createFakeApi({ 'jobs.edit': () => ({ jobId: 'e2', kind: 'edit' }) });
    setApi(fake.api);
    const store = useRegionStore();
    const original = new Uint8Array(28 * 28).map((_, i) => ((i % 28) > 8 && (i % 28) < 19 ? 180 + (i % 7) : 0));
    const e = encodeImage(original, 28, 28, TOKENIZER);
    store.load({ title: 't', width: 28, height: 28, sentence: { tokens: e.tokens, startExponent: e.startExponent }, tokenizer: TOKENIZER, classIndex: 1, original });
    const modelTokenizer = { ...TOKENIZER, finalExponent: TOKENIZER.finalExponent + 2 };
    await store.generate('m1', 1, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 7, modelTokenizer);
    const req = fake.calls[0].request as { source: { tokens: number[]; startExponent: number } };
    const expected = encodeImage(original, 28, 28, modelTokenizer);
    expect(req.source.tokens).toEqual(Array.from(expected.tokens));
    expect(req.source.tokens.length).toBeLessThan(e.tokens.length); // a coarser language, not the old sentence
    expect(store.source?.tokenizer).toEqual(modelTokenizer);
  });

  it('owns coefficients only where the mask is, and sends the mask as bits', async () => {
    const fake = createFakeApi({ 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    const store = loadSource();
    expect(store.region).toBeNull();
    store.checkpoint();
    store.dab(3, 3, 2, false);
    const owned = store.region?.owned;
    expect(owned && owned.reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    expect(owned && owned.length).toBe(32 * 32);
    store.selection = 'contained';
    const contained = store.region?.owned.reduce((n, v) => n + v, 0) ?? 0;
    expect(contained).toBeLessThan(owned?.reduce((n, v) => n + v, 0) ?? 0);
    await store.generate('m1', 3, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 7);
    const req = fake.calls[0].request as { mask: { bits: string; width: number }; selection: string; classIndex: number };
    expect(req.mask.bits).toHaveLength(784);
    expect(req.mask.bits.split('').filter((b) => b === '1')).toHaveLength(store.maskCount);
    expect(req.selection).toBe('contained');
    expect(req.classIndex).toBe(1);
  });

  it('turns a done edit into candidates, and accepting one is undoable', async () => {
    const fake = createFakeApi({ 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    const store = loadSource();
    const original = store.source?.sentence;
    store.checkpoint();
    store.dab(14, 14, 3, false);
    await store.generate('m1', 1, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 0);
    const other = encodeImage(new Uint8Array(784).fill(90), 28, 28, TOKENIZER);
    fake.emit({ jobId: 'e1', kind: 'edit', type: 'done', result: { sentences: [{ tokens: Array.from(other.tokens), startExponent: other.startExponent, classIndex: 1, seed: 0, size: 32, width: 28, height: 28 }] } });
    expect(store.candidates).toHaveLength(1);
    store.accept(store.candidates[0].key);
    expect(Array.from(store.source?.sentence.tokens ?? [])).toEqual(Array.from(other.tokens));
    store.undo();
    expect(store.source?.sentence).toBe(original);
  });
});
