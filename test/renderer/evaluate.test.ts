// @vitest-environment happy-dom
/**
 * The Evaluate view's pieces with a fresh Pinia and a fake API: the report reader accepts
 * what the engine writes (built with the engine's own consistency counter) and refuses
 * other JSON; the store runs jobs.eval, follows stage progress, shows the 'done' result and
 * a model's saved report; the view draws the confusion matrix and the goal. Also the
 * Models panel's store calls (import / export with clear errors), the Sampler's default
 * model (starter, else the newest run) and the fresh workspace opening on MNIST.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import { confusionShares, consistencyGoal, percent, readEvalReport } from '../../src/renderer/lib/eval-report';
import { useEvaluateStore } from '../../src/renderer/stores/evaluate';
import { pickDefaultModel, useSamplerStore } from '../../src/renderer/stores/sampler';
import { useDatasetsStore } from '../../src/renderer/stores/datasets';
import EvaluateView from '../../src/renderer/views/EvaluateView.vue';
import ModelTransfer from '../../src/renderer/components/ModelTransfer.vue';
import { useAppStore } from '../../src/renderer/stores/app';
import { classConsistency } from '../../src/core/eval/consistency';
import type { EvalReport } from '../../src/core/eval/report';
import type { DatasetSummary, ModelSummary, RunSummary } from '../../src/shared/dto';
import { createFakeApi } from './fake-api';

const TOKENIZER = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;
const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const model = (modelId: string, source: ModelSummary['source'], extra: Partial<ModelSummary> = {}): ModelSummary => ({
  modelId, source, datasetId: 'mnist', classes: CLASSES, tokenizer: TOKENIZER, width: 28, height: 28, size: 32, params: 12775, step: 6, classDropout: 0, ...extra,
});

/** A report as the engine writes it: 20 samples, two per class, class 3 judged as 5 once. */
function engineReport(): EvalReport {
  const requested = Array.from({ length: 20 }, (_, i) => Math.floor(i / 2));
  const judged = requested.map((c, i) => (i === 7 ? 5 : c));
  return {
    schemaVersion: 1, kind: 'wavelet-studio-eval', createdAt: '2026-11-29T02:00:00.000Z',
    model: { path: '/w/runs/m1', datasetId: 'mnist', step: 6, params: 12775 },
    judge: { datasetId: 'mnist', contentHash: 'h', testAccuracy: 0.992 },
    samples: { count: 20, seed: 3, sampling: { temperature: 1, topK: 0, topP: 1 }, meanTokens: 410.5 },
    consistency: classConsistency(requested, judged, 10),
    fid: { value: 42.5, sampleCount: 20, referenceCount: 20, featureDim: 64, floor: 3.25 },
    ceiling: { accuracy: 0.985, fid: 5.48, count: 20, meanTokens: 782.4 },
    bits: { images: 500, skipped: 0, bitsPerImage: 812.4, bitsPerImageStd: 90.1, tokensPerImage: 401.2, bitsPerToken: 2.02, bitsPerPixel: 0.79 },
    timing: { backend: 'wasm', totalSec: 4, secPerImage: 0.2, tokensPerSec: 2052 },
    notes: ['bits per image: 2 test sentences longer than the model context (672) left out'],
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('eval report reader', () => {
  it('reads every metric of an engine report', () => {
    const r = readEvalReport(JSON.parse(JSON.stringify(engineReport())));
    expect(r?.consistency?.accuracy).toBeCloseTo(0.95);
    expect(r?.consistency?.perClass[3]).toBeCloseTo(0.5);
    expect(r?.consistency?.confusion[3][5]).toBe(1);
    expect(r?.fid).toEqual({ value: 42.5, floor: 3.25, sampleCount: 20, referenceCount: 20 });
    expect(r?.ceiling).toEqual({ accuracy: 0.985, fid: 5.48, meanTokens: 782.4 });
    expect(r?.bits?.tokensPerImage).toBeCloseTo(401.2);
    expect(r?.timing.backend).toBe('wasm');
    expect(r?.judgeAccuracy).toBeCloseTo(0.992);
    expect(r?.notes).toHaveLength(1);
    // sampling: guidance off and no interval in a report that names neither; an interval when it has one
    expect(r?.samples.sampling).toEqual({ temperature: 1, topK: 0, topP: 1, guidance: 1, guidancePlanes: 0 });
    const guided = engineReport();
    guided.samples.sampling = { ...guided.samples.sampling, guidance: 2, guidancePlanes: 3 } as typeof guided.samples.sampling;
    expect(readEvalReport(guided)?.samples.sampling).toMatchObject({ guidance: 2, guidancePlanes: 3 });
  });

  it('keeps a report without judge metrics and refuses JSON that is not a report', () => {
    const partial = { ...engineReport(), consistency: null, fid: null, bits: null, judge: null, ceiling: undefined };
    const r = readEvalReport(partial);
    expect(r?.ceiling).toBeNull(); // reports written before the ceiling was measured
    expect(r?.consistency).toBeNull();
    expect(r?.fid).toBeNull();
    expect(r?.judgeAccuracy).toBeNull();
    expect(readEvalReport(null)).toBeNull();
    expect(readEvalReport({ ...engineReport(), kind: 'other' })).toBeNull();
    expect(readEvalReport({ ...engineReport(), timing: undefined })).toBeNull();
    expect(readEvalReport({ ...engineReport(), consistency: { confusion: [[1, 2], [3]] } })?.consistency).toBeNull(); // ragged
  });

  it('shades cells by their share of the row and knows the goals', () => {
    expect(confusionShares([[3, 1], [0, 0]])).toEqual([[0.75, 0.25], [0, 0]]);
    expect(consistencyGoal('mnist')).toBe(0.97);
    expect(consistencyGoal('fashion-mnist')).toBe(0.85);
    expect(consistencyGoal('mine')).toBeNull();
    expect(percent(0.9734)).toBe('97.3%');
    expect(percent(null)).toBe('–');
  });
});

describe('evaluate store', () => {
  it('runs jobs.eval, follows the stages and shows the done result', async () => {
    const fake = createFakeApi({ 'models.list': () => [model('m1', 'run')], 'jobs.eval': () => ({ jobId: 'e1', kind: 'eval' }) });
    setApi(fake.api);
    const store = useEvaluateStore();
    await store.loadModels();
    expect(store.modelId).toBe('m1');
    expect(store.report).toBeNull();
    store.samples = 20;
    store.seed = 3;
    store.topP = 0.6;
    expect(await store.run()).toBe(true);
    expect(fake.calls.find((c) => c.channel === 'jobs.eval')?.request).toEqual({ modelId: 'm1', samples: 20, seed: 3, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 1, guidancePlanes: 0 } });
    expect(store.running).toBe(true);
    fake.emit({ jobId: 'e1', kind: 'eval', type: 'started', total: 20 });
    fake.emit({ jobId: 'e1', kind: 'eval', type: 'progress', done: 8, total: 20, message: 'sampling' });
    fake.emit({ jobId: 'other', kind: 'eval', type: 'progress', done: 1, total: 2, message: 'bits' });
    expect(store.progress).toEqual({ stage: 'sampling', done: 8, total: 20 });
    fake.emit({ jobId: 'e1', kind: 'eval', type: 'done', result: engineReport() });
    expect(store.running).toBe(false);
    expect(store.origin).toBe('job');
    expect(store.report?.consistency?.count).toBe(20);
  });

  it("draws samples with the selected model's recommended sampling, else temperature 1 unfiltered", async () => {
    const fake = createFakeApi({ 'models.list': () => [model('s1', 'starter', { sampling: { temperature: 0.9, topK: 0, topP: 0.6, guidance: 2, guidancePlanes: 3 } }), model('r1', 'run')], 'jobs.eval': () => ({ jobId: 'e9', kind: 'eval' }) });
    setApi(fake.api);
    const store = useEvaluateStore();
    await store.loadModels();
    expect([store.modelId, store.temperature, store.topP, store.guidance, store.guidancePlanes]).toEqual(['s1', 0.9, 0.6, 2, 3]);
    store.select('r1');
    expect([store.temperature, store.topP, store.guidance, store.guidancePlanes]).toEqual([1, 1, 1, 0]);
    store.select('s1');
    expect(await store.run()).toBe(true);
    expect((fake.calls.find((c) => c.channel === 'jobs.eval')?.request as { sampling: unknown }).sampling).toEqual({ temperature: 0.9, topK: 0, topP: 0.6, guidance: 2, guidancePlanes: 3 });
  });

  it('replays events that arrive before jobs.eval answers', async () => {
    let emitEarly: (() => void) | null = null;
    const fake = createFakeApi({
      'models.list': () => [model('m1', 'run')],
      'jobs.eval': () => {
        emitEarly?.();
        return { jobId: 'e9', kind: 'eval' };
      },
    });
    emitEarly = () => fake.emit({ jobId: 'e9', kind: 'eval', type: 'progress', done: 5, total: 10, message: 'judging' });
    setApi(fake.api);
    const store = useEvaluateStore();
    await store.loadModels();
    await store.run();
    expect(store.progress).toEqual({ stage: 'judging', done: 5, total: 10 });
  });

  it('shows a model\'s saved report without running, and reports job errors', async () => {
    const fake = createFakeApi({ 'models.list': () => [model('m1', 'run'), model('m2', 'imported', { evalReport: engineReport() })], 'jobs.eval': () => ({ jobId: 'e2', kind: 'eval' }) });
    setApi(fake.api);
    const store = useEvaluateStore();
    await store.loadModels();
    store.select('m2');
    expect(store.origin).toBe('saved');
    expect(store.report?.fid?.floor).toBe(3.25);
    expect(fake.calls.some((c) => c.channel === 'jobs.eval')).toBe(false);
    store.select('m1');
    expect(store.report).toBeNull();
    await store.run();
    fake.emit({ jobId: 'e2', kind: 'eval', type: 'error', code: 'NOT_FOUND', message: 'no judge found' });
    expect(store.state).toBe('error');
    expect(store.error).toBe('no judge found');
  });
});

describe('Evaluate view', () => {
  it('draws the confusion matrix, the consistency against the goal and the FID floor', async () => {
    const fake = createFakeApi({ 'models.list': () => [model('m2', 'imported', { evalReport: engineReport() })] });
    setApi(fake.api);
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(EvaluateView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="confusion-matrix"]').attributes('data-classes')).toBe('10');
    expect(wrapper.get('[data-testid="eval-consistency"]').text()).toBe('95.0%');
    expect(wrapper.get('[data-testid="eval-consistency-bars"]').text()).toContain('goal 97.0%');
    expect(wrapper.get('[data-testid="eval-fid-bars"]').text()).toContain('3.25');
    const rows = (id: string): string[][] => {
      const meter = wrapper.get(`[data-testid="${id}"]`);
      const values = meter.findAll('.value').map((v) => v.text());
      return meter.findAll('.label').map((l, i) => [l.text(), values[i]]);
    };
    expect(rows('eval-fid-bars')).toEqual([['generated', '42.50'], ['language', '5.48'], ['real vs real', '3.25']]);
    expect(rows('eval-consistency-bars')).toEqual([['samples', '95.0%'], ['language', '98.5%']]);
    // FID 42.5 against a floor of 3.25: 13.1x, above the goal of 2x, drawn as a warning with the goal marked
    expect(wrapper.get('[data-testid="eval-fid-bars"]').text()).toContain('goal 2× floor');
    expect(wrapper.get('[data-testid="eval-fid-ratio"]').text()).toBe('generated is 13.1× the floor; the goal is at most 2×');
    expect(wrapper.get('[data-testid="eval-fid-bars"]').findAll('rect.warn')).toHaveLength(1);
    expect(wrapper.get('[data-testid="eval-fid-bars"]').findAll('rect.ok')).toHaveLength(0);
    expect(wrapper.get('[data-testid="eval-note"]').text()).toBe('note: bits per image: 2 test sentences longer than the model context (672) left out');
    expect(wrapper.get('[data-testid="eval-backend"]').text()).toBe('wasm');
    expect(wrapper.get('[data-testid="eval-origin"]').text()).toBe('saved report');
    wrapper.unmount();
  });

  it('draws an FID within twice the floor as met, and no FID goal without a usable floor', async () => {
    const met = engineReport();
    met.fid = { ...met.fid!, value: 6.4 }; // 1.97x the floor of 3.25
    const noFloor = engineReport();
    noFloor.fid = { ...noFloor.fid!, floor: 0 };
    const fake = createFakeApi({ 'models.list': () => [model('m2', 'imported', { evalReport: met }), model('m3', 'imported', { evalReport: noFloor })] });
    setApi(fake.api);
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(EvaluateView, { global: { plugins: [pinia] } });
    await flushPromises();
    const store = useEvaluateStore();
    store.select('m2');
    await flushPromises();
    expect(wrapper.get('[data-testid="eval-fid-ratio"]').text()).toBe('generated is 2.0× the floor; the goal is at most 2×');
    expect(wrapper.get('[data-testid="eval-fid-bars"]').findAll('rect.ok')).toHaveLength(1);
    store.select('m3');
    await flushPromises();
    expect(wrapper.find('[data-testid="eval-fid-ratio"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="eval-fid-bars"]').text()).not.toContain('goal');
    expect(wrapper.get('[data-testid="eval-fid-bars"]').findAll('rect.accent')).toHaveLength(1);
    wrapper.unmount();
  });

  it('says what to do when there is no model', async () => {
    setApi(createFakeApi({ 'models.list': () => [] }).api);
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(EvaluateView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.find('[data-testid="eval-no-models"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="eval-run"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });
});

describe('models', () => {
  const run = (runId: string, updatedAt: number): RunSummary => ({ runId, datasetId: 'mnist', preset: 'tiny', step: 6, totalSteps: 6, updatedAt, hasCheckpoint: true });

  it('preselects the first starter model, else the newest run, else the first model', () => {
    expect(pickDefaultModel([model('r1', 'run'), model('s1', 'starter'), model('s2', 'starter')], [])).toBe('s1');
    expect(pickDefaultModel([model('r1', 'run'), model('i1', 'imported'), model('r2', 'run')], [run('r1', 100), run('r2', 200)])).toBe('r2');
    expect(pickDefaultModel([model('i1', 'imported')], [])).toBe('i1');
    expect(pickDefaultModel([], [])).toBeNull();
  });

  it('the sampler asks runs.list only to order several run models', async () => {
    const fake = createFakeApi({ 'models.list': () => [model('r1', 'run'), model('r2', 'run')], 'runs.list': () => [run('r1', 300), run('r2', 200)] });
    setApi(fake.api);
    const store = useSamplerStore();
    await store.loadModels();
    expect(store.modelId).toBe('r1');
    expect(fake.calls.map((c) => c.channel)).toEqual(['models.list', 'runs.list']);
  });

  it('imports a package and selects it; export names the path; errors are one clear sentence', async () => {
    const fake = createFakeApi({
      'models.list': () => [model('r1', 'run')],
      'models.import': (r) => {
        if ((r as { path: string }).path.endsWith('bad.zip')) throw new Error('/tmp/bad.zip: not a model package');
        return model('m-imported', 'imported');
      },
      'models.export': (r) => ({ path: (r as { path: string }).path, bytes: 204800 }),
    });
    setApi(fake.api);
    const store = useSamplerStore();
    await store.loadModels();
    expect(await store.importModel('  ')).toEqual({ ok: false, message: 'Enter the path of a model package (.zip) first.' });
    const bad = await store.importModel('/tmp/bad.zip');
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('Importing /tmp/bad.zip failed: /tmp/bad.zip: not a model package');
    const good = await store.importModel(' /tmp/m.zip ');
    expect(good.ok).toBe(true);
    expect(fake.calls.find((c) => c.channel === 'models.import' && (c.request as { path: string }).path === '/tmp/m.zip')).toBeDefined();
    expect(store.modelId).toBe('m-imported');
    expect(store.models.map((m) => m.modelId)).toEqual(['r1', 'm-imported']);
    const out = await store.exportModel('/tmp/out.zip');
    expect(out).toEqual({ ok: true, message: 'Exported m-imported to /tmp/out.zip (200 KiB).' });
    expect(fake.calls[fake.calls.length - 1].request).toEqual({ modelId: 'm-imported', path: '/tmp/out.zip' });
  });

  it('a fresh workspace opens on MNIST even when another dataset is listed first', async () => {
    const ds = (id: string): DatasetSummary => ({ id, name: id, builtin: true, classes: CLASSES, width: 28, height: 28, counts: { train: 1, test: 1 }, source: 'b', contentHash: 'x', defaultTokenizer: TOKENIZER, notes: [] });
    setApi(createFakeApi({ 'datasets.list': () => [ds('fashion-mnist'), ds('mnist')], 'datasets.page': () => ({ total: 0, width: 28, height: 28, items: [] }), 'datasets.stats': () => ({ datasetId: 'mnist', classCounts: { train: [], test: [] } }) }).api);
    const store = useDatasetsStore();
    await store.loadList();
    expect(store.selectedId).toBe('mnist');
  });

  it('the Models panel says where browser mode reads and writes, and shows errors in red', async () => {
    setApi(createFakeApi({
      'system.info': () => ({ version: '0.1.0', mode: 'browser', workspace: '/w', backends: [] }),
      'models.import': () => {
        throw new Error('x.zip: no such file or folder');
      },
    }).api);
    const pinia = createPinia();
    setActivePinia(pinia);
    await useAppStore().loadInfo();
    const wrapper = mount(ModelTransfer, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="model-transfer-hint"]').text()).toContain('/w/imports');
    await wrapper.get('[data-testid="model-path"]').setValue('x.zip');
    await wrapper.get('[data-testid="model-import"]').trigger('click');
    await flushPromises();
    const result = wrapper.get('[data-testid="model-transfer-result"]');
    expect(result.classes()).toContain('err-text');
    expect(result.text()).toMatch(/^Importing x\.zip failed: x\.zip: no such file or folder; /);
    wrapper.unmount();
  });
});
