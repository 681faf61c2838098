// @vitest-environment happy-dom
/**
 * What the user sees while work is pending, failed or stopped, and controls that must not
 * act twice: the statistics panel says when its figures failed (with a retry) instead of
 * "Loading…" for ever; Generate, Start training, Import and the region edit start one job
 * per click even while the first request is unanswered; a stopped sample is shown as
 * stopped, not as still generating; opening a run after a finished job shows that run's
 * curves; an edit started for one image never lands on the next; Evaluate keeps its model
 * while a run goes on; the Inspector says it is opening an image and shows the tokenizer in
 * use after a failed change; the header says when the engine cannot be reached. Also the
 * names screen readers get for canvases, groups and the import dialog.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import App from '../../src/renderer/App.vue';
import { useDatasetsStore } from '../../src/renderer/stores/datasets';
import { useSamplerStore } from '../../src/renderer/stores/sampler';
import { useTrainingStore } from '../../src/renderer/stores/training';
import { useRegionStore } from '../../src/renderer/stores/region';
import { useEvaluateStore } from '../../src/renderer/stores/evaluate';
import { useInspectorStore } from '../../src/renderer/stores/inspector';
import StatsPanel from '../../src/renderer/components/StatsPanel.vue';
import ImportDialog from '../../src/renderer/components/ImportDialog.vue';
import ImageCanvas from '../../src/renderer/components/ImageCanvas.vue';
import MosaicCanvas from '../../src/renderer/components/MosaicCanvas.vue';
import ConfusionMatrix from '../../src/renderer/components/ConfusionMatrix.vue';
import ThumbGrid from '../../src/renderer/components/ThumbGrid.vue';
import TrainForm from '../../src/renderer/components/TrainForm.vue';
import SamplerView from '../../src/renderer/views/SamplerView.vue';
import RegionView from '../../src/renderer/views/RegionView.vue';
import EvaluateView from '../../src/renderer/views/EvaluateView.vue';
import InspectorView from '../../src/renderer/views/InspectorView.vue';
import { CLASSES, MNIST, MODEL, TOKENIZER, deferred, digit, editSentence, samplerGenerating } from './ux-fixtures';
import { createFakeApi, type Handlers } from './fake-api';
import type { JobSnapshot, RunDetail } from '../../src/shared/dto';

let pinia: Pinia;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});

describe('App shell', () => {
  it('says the engine is not connected when system.info fails, not that it is still connecting', async () => {
    setApi(createFakeApi({ 'jobs.list': () => [], 'datasets.list': () => [], 'models.list': () => [] }).api); // no system.info
    const wrapper = mount(App, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="backend-badge"]').text()).toBe('○ not connected');
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('Connecting to the engine failed');
    wrapper.unmount();
  });
});

describe('Datasets statistics', () => {
  it('says the statistics failed, with a retry, instead of loading for ever', async () => {
    const handlers: Handlers = { 'datasets.list': () => [MNIST], 'datasets.page': () => ({ total: 0, width: 28, height: 28, items: [] }) };
    setApi(createFakeApi(handlers).api); // no datasets.stats: it fails
    await useDatasetsStore().loadList();
    await flushPromises();
    const wrapper = mount(StatsPanel, { global: { plugins: [pinia] } });
    expect(wrapper.text()).not.toContain('Loading');
    expect(wrapper.get('[data-testid="stats-error"]').text()).toContain('could not be loaded');
    handlers['datasets.stats'] = () => ({ datasetId: 'mnist', classCounts: { train: [5, 6], test: [1, 2] } });
    await wrapper.get('[data-testid="stats-retry"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="stats-error"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Class counts');
    wrapper.unmount();
  });
});

describe('Sampler', () => {
  it('starts one job however often Generate is pressed before the engine answers', async () => {
    const pending = deferred({ jobId: 's1', kind: 'sample' });
    const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.list': () => [], 'jobs.sample': pending.handler });
    setApi(fake.api);
    const wrapper = mount(SamplerView, { global: { plugins: [pinia] } });
    await flushPromises();
    const button = wrapper.get('[data-testid="sample-generate"]');
    await button.trigger('click');
    expect((button.element as HTMLButtonElement).disabled).toBe(true);
    expect(await useSamplerStore().generate()).toBe(false);
    pending.release();
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'jobs.sample')).toHaveLength(1);
    wrapper.unmount();
  });

  it('shows a candidate whose job was stopped as stopped, and lets it be continued', async () => {
    const { fake, wrapper } = await samplerGenerating(pinia);
    fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample: 0, tokens: [2, 3, 2], startExponent: 1, length: 3, total: 400 });
    await flushPromises();
    expect(wrapper.get('[data-testid="sample-state"]').text()).toBe('generating');
    fake.emit({ jobId: 's1', kind: 'sample', type: 'error', code: 'CANCELLED', message: 'stopped' });
    await flushPromises();
    expect(wrapper.get('[data-testid="sample-state"]').text()).toBe('stopped');
    expect((wrapper.get('[data-testid="regenerate-from-here"]').element as HTMLButtonElement).disabled).toBe(false);
    expect(wrapper.get('[data-testid="candidate"]').text()).toContain('3'); // its length, not "…"
    wrapper.unmount();
  });
});

describe('Training', () => {
  const run = (runId: string, step: number): RunDetail => ({
    runId, datasetId: 'mnist', preset: 'tiny', step, totalSteps: 20, updatedAt: 1, hasCheckpoint: true, config: {},
    metrics: [{ step, trainLoss: runId === 'run-a' ? 1 : 3, wallSec: 1 }], gallery: [],
  });

  it('starts one run however often Start is pressed before the engine answers', async () => {
    const pending = deferred({ jobId: 't1', kind: 'train' });
    const fake = createFakeApi({ 'jobs.train': pending.handler });
    setApi(fake.api);
    const store = useTrainingStore();
    const request = { datasetId: 'mnist', preset: 'tiny', backend: 'auto', seed: 0, tokenizer: TOKENIZER, model: {}, train: {} } as const;
    const first = store.start(request);
    expect(store.starting).toBe(true);
    expect(await store.start(request)).toBe(false);
    pending.release();
    expect(await first).toBe(true);
    expect(fake.calls.filter((c) => c.channel === 'jobs.train')).toHaveLength(1);
  });

  it("opening another run after a job finished shows that run's curves, not the job's", async () => {
    const snapshot: JobSnapshot = { jobId: 't1', kind: 'train', state: 'running', startedAt: 1, metrics: [{ step: 4, trainLoss: 1, wallSec: 1 }], request: { runId: 'run-a' } };
    const fake = createFakeApi({
      'runs.list': () => [], 'jobs.list': () => [snapshot], 'models.list': () => [],
      'runs.get': (r) => run((r as { runId: string }).runId, (r as { runId: string }).runId === 'run-a' ? 4 : 20),
    });
    setApi(fake.api);
    const store = useTrainingStore();
    await store.restore();
    fake.emit({ jobId: 't1', kind: 'train', type: 'error', code: 'NAN_LOSS', message: 'the loss became NaN' });
    await flushPromises();
    expect(store.error).toContain('NaN');
    await store.openRun('run-b');
    expect(store.metrics.map((p) => p.trainLoss)).toEqual([3]);
    expect(store.state).toBeNull();
    expect(store.error).toBeNull();
    expect(store.progress).toMatchObject({ done: 20, total: 20 });
  });

  it('keeps following a live job when a run is opened', async () => {
    const snapshot: JobSnapshot = { jobId: 't1', kind: 'train', state: 'running', startedAt: 1, metrics: [{ step: 4, trainLoss: 1, wallSec: 1 }], request: { runId: 'run-a' } };
    const fake = createFakeApi({ 'runs.list': () => [], 'jobs.list': () => [snapshot], 'runs.get': (r) => run((r as { runId: string }).runId, 4) });
    setApi(fake.api);
    const store = useTrainingStore();
    await store.restore();
    await store.openRun('run-a');
    expect(store.jobId).toBe('t1');
    expect(store.state).toBe('running');
    fake.emit({ jobId: 't1', kind: 'train', type: 'metrics', point: { step: 5, trainLoss: 0.9, wallSec: 2 } });
    expect(store.metrics.map((p) => p.step)).toEqual([4, 5]);
  });
});

describe('Region editor', () => {
  function loadDigit(store: ReturnType<typeof useRegionStore>, title = 't'): void {
    const d = digit();
    store.load({ title, width: 28, height: 28, sentence: { tokens: d.tokens, startExponent: d.startExponent }, tokenizer: TOKENIZER, classIndex: 1 });
    store.checkpoint();
    store.dab(14, 14, 3, false);
  }
  const sampling = { temperature: 1, topK: 0, topP: 1, guidance: 1 };

  it('starts one edit at a time', async () => {
    const pending = deferred({ jobId: 'e1', kind: 'edit' });
    const fake = createFakeApi({ 'jobs.edit': pending.handler });
    setApi(fake.api);
    const store = useRegionStore();
    loadDigit(store);
    const first = store.generate('m1', 2, sampling, 0);
    expect(await store.generate('m1', 2, sampling, 0)).toBe(false); // still starting
    pending.release();
    await first;
    expect(await store.generate('m1', 2, sampling, 0)).toBe(false); // still running
    expect(fake.calls.filter((c) => c.channel === 'jobs.edit')).toHaveLength(1);
  });

  it('drops the candidates of an edit asked of the previous image', async () => {
    const fake = createFakeApi({ 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    const store = useRegionStore();
    loadDigit(store, 'first');
    await store.generate('m1', 1, sampling, 0);
    loadDigit(store, 'second');
    fake.emit({ jobId: 'e1', kind: 'edit', type: 'done', result: { sentences: [editSentence(90)] } });
    expect(store.candidates).toHaveLength(0);
    expect(store.busy).toBe(false); // and Generate is free again for the new image
  });

  it('says when there is no model to edit with, and disables Generate while an edit runs', async () => {
    const handlers: Handlers = { 'models.list': () => [], 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) };
    setApi(createFakeApi(handlers).api);
    const wrapper = mount(RegionView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="region-no-models"]').text()).toContain('No models yet');
    handlers['models.list'] = () => [MODEL];
    await useSamplerStore().loadModels();
    loadDigit(useRegionStore());
    await flushPromises();
    expect(wrapper.find('[data-testid="region-no-models"]').exists()).toBe(false);
    const button = wrapper.get('[data-testid="region-generate"]');
    expect((button.element as HTMLButtonElement).disabled).toBe(false);
    await button.trigger('click');
    await flushPromises();
    expect(useRegionStore().state).toBe('queued');
    expect((button.element as HTMLButtonElement).disabled).toBe(true);
    wrapper.unmount();
  });
});

describe('Evaluate', () => {
  it('keeps the model picker fixed while its evaluation runs', async () => {
    const fake = createFakeApi({ 'models.list': () => [MODEL, { ...MODEL, modelId: 'm2' }], 'jobs.eval': () => ({ jobId: 'v1', kind: 'eval' }) });
    setApi(fake.api);
    const wrapper = mount(EvaluateView, { global: { plugins: [pinia] } });
    await flushPromises();
    const select = wrapper.get('[data-testid="eval-model"]');
    expect((select.element as HTMLSelectElement).disabled).toBe(false);
    await wrapper.get('[data-testid="eval-run"]').trigger('click');
    await flushPromises();
    expect(useEvaluateStore().running).toBe(true);
    expect((select.element as HTMLSelectElement).disabled).toBe(true);
    fake.emit({ jobId: 'v1', kind: 'eval', type: 'error', code: 'CANCELLED', message: 'stopped' });
    await flushPromises();
    expect((select.element as HTMLSelectElement).disabled).toBe(false);
    wrapper.unmount();
  });
});

describe('Inspector', () => {
  it('says it is opening an image rather than asking for one', async () => {
    const d = digit();
    const pending = deferred({ label: 1, width: 28, height: 28, pixels: btoa(String.fromCharCode(...d.pixels)), sentence: { tokens: Array.from(d.tokens), startExponent: d.startExponent }, tokenizer: TOKENIZER });
    setApi(createFakeApi({ 'datasets.item': pending.handler }).api);
    const wrapper = mount(InspectorView, { global: { plugins: [pinia] } });
    const opening = useInspectorStore().openDatasetItem('mnist', 'train', 3, CLASSES);
    await flushPromises();
    expect(wrapper.find('[data-testid="inspector-empty"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="inspector-loading"]').text()).toContain('Opening the image');
    pending.release();
    await opening;
    await flushPromises();
    expect(wrapper.get('[data-testid="inspector-title"]').text()).toContain('#3');
    wrapper.unmount();
  });

  it('shows the wavelet in use again when reopening under another one fails', async () => {
    setApi(createFakeApi({}).api); // datasets.item fails
    const d = digit();
    const store = useInspectorStore();
    store.show({ title: 'mnist · train #3', origin: { kind: 'dataset', datasetId: 'mnist', split: 'train', index: 3 }, label: 1, classes: CLASSES, width: 28, height: 28, original: d.pixels, sentence: { tokens: d.tokens, startExponent: d.startExponent }, tokenizer: TOKENIZER });
    const wrapper = mount(InspectorView, { global: { plugins: [pinia] } });
    await flushPromises();
    const select = wrapper.get('[data-testid="inspector-wavelet"]');
    await select.setValue('bior4.4');
    await flushPromises();
    expect((select.element as HTMLSelectElement).value).toBe('haar');
    const final = wrapper.get('[data-testid="inspector-final"]');
    await final.setValue('-1');
    await flushPromises();
    expect((final.element as HTMLInputElement).value).toBe('-3');
    wrapper.unmount();
  });
});

describe('Import dialog', () => {
  it('starts one import per click and, while it runs, offers Close (the import goes on) rather than Cancel', async () => {
    const pending = deferred({ jobId: 'i1', kind: 'import' });
    const fake = createFakeApi({ 'datasets.import': pending.handler });
    setApi(fake.api);
    const wrapper = mount(ImportDialog, { global: { plugins: [pinia] } });
    const dialog = wrapper.get('[data-testid="import-dialog"]');
    expect(dialog.attributes('role')).toBe('dialog');
    expect(wrapper.get(`#${dialog.attributes('aria-labelledby')}`).text()).toBe('Import a dataset');
    await wrapper.get('[data-testid="import-name"]').setValue('digits');
    await wrapper.get('[data-testid="import-path"]').setValue('/data/digits');
    expect(wrapper.get('[data-testid="import-close"]').text()).toBe('Cancel');
    await wrapper.get('[data-testid="import-dialog"]').trigger('submit');
    await wrapper.get('[data-testid="import-dialog"]').trigger('submit');
    expect((wrapper.get('[data-testid="import-start"]').element as HTMLButtonElement).disabled).toBe(true);
    pending.release();
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'datasets.import')).toHaveLength(1);
    expect(wrapper.find('[data-testid="import-progress"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="import-close"]').text()).toBe('Close');
    wrapper.unmount();
  });
});

describe('accessible names', () => {
  it('names the canvases that show content and groups the preset buttons', async () => {
    setApi(createFakeApi({ 'datasets.list': () => [MNIST], 'models.list': () => [] }).api);
    const image = mount(ImageCanvas, { props: { pixels: new Uint8Array(4), width: 2, height: 2, label: 'Original image' } });
    expect(image.attributes()).toMatchObject({ role: 'img', 'aria-label': 'Original image' });
    const mosaic = mount(MosaicCanvas, { props: { coefficients: new Float64Array(64), size: 8 } });
    expect(mosaic.attributes('role')).toBe('img');
    expect(mosaic.attributes('aria-label')).toContain('Wavelet coefficients');
    const matrix = mount(ConfusionMatrix, { props: { confusion: [[3, 1], [0, 4]], perClass: [0.75, 1], classes: ['0', '1'] } });
    expect(matrix.get('canvas').attributes('aria-label')).toContain('Accuracy per class: 0: 75%, 1: 100%');
    await useDatasetsStore().loadList();
    const grid = mount(ThumbGrid, { global: { plugins: [pinia] } });
    expect(grid.attributes('aria-label')).toContain('Enter opens the image');
    const form = mount(TrainForm, { props: { busy: false }, global: { plugins: [pinia] } });
    const group = form.get('[role="group"]');
    expect(form.get(`#${group.attributes('aria-labelledby')}`).text()).toBe('Preset');
    expect(form.get('[data-testid="preset-tiny"]').attributes('aria-pressed')).toBe('true');
    [image, mosaic, matrix, grid, form].forEach((w) => w.unmount());
  });
});
