// @vitest-environment happy-dom
/**
 * The run opened in the Training view versus the training job followed: opening another run
 * while a job trains shows that run's own curves, step count and state, says where the job
 * runs with a way back, and the job's events keep filling its own curves meanwhile; only the
 * job's run row shows live progress. Pause / Resume / Stop send one request per click, and
 * the banner shown on another run controls the job too. The
 * region editor drops levels the loaded image does not have.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import { useTrainingStore } from '../../src/renderer/stores/training';
import { useRegionStore } from '../../src/renderer/stores/region';
import TrainingView from '../../src/renderer/views/TrainingView.vue';
import RegionConstraints from '../../src/renderer/components/RegionConstraints.vue';
import { MNIST, TOKENIZER, deferred, digit, flatSource, liveTraining, storedRun } from './ux-fixtures';
import { createFakeApi, type FakeApi, type Handlers } from './fake-api';
import type { EditStartRequest } from '../../src/shared/schemas';

let pinia: Pinia;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});

/** The Training view after a reload while job 't1' trains run-a (5 points); run-b is stored at step 12. */
async function trainingView(extra: Handlers = {}): Promise<{ fake: FakeApi; wrapper: VueWrapper }> {
  const fake = createFakeApi({
    'datasets.list': () => [MNIST], 'models.list': () => [], 'jobs.list': () => [liveTraining('run-a', 5)],
    'runs.list': () => [storedRun('run-a', 3, 1), storedRun('run-b', 12)],
    'runs.get': (r) => storedRun((r as { runId: string }).runId, (r as { runId: string }).runId === 'run-a' ? 3 : 12),
    ...extra,
  });
  setApi(fake.api);
  const wrapper = mount(TrainingView, { global: { plugins: [pinia], stubs: { MetricChart: true } } }); // uPlot needs a real canvas
  await flushPromises();
  return { fake, wrapper };
}

const points = (w: VueWrapper): number => Number(w.get('[data-testid="loss-chart"]').attributes('data-points'));
const row = (w: VueWrapper, runId: string): string => w.get(`[data-testid="run-${runId}"]`).text();

describe('Training: the opened run and the followed job', () => {
  it("shows another run's own curves and state while a job trains, keeps recording the job, and leads back to it", async () => {
    const { fake, wrapper } = await trainingView();
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('running');
    expect(points(wrapper)).toBe(5);
    expect(wrapper.find('[data-testid="train-elsewhere"]').exists()).toBe(false);

    await wrapper.get('[data-testid="run-run-b"]').trigger('click');
    await flushPromises();
    expect(useTrainingStore().detail?.runId).toBe('run-b');
    expect(points(wrapper)).toBe(12); // run-b's stored curve, not the job's
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('idle');
    expect(wrapper.get('[data-testid="train-status"]').text()).toContain('step 12/20');
    expect(wrapper.find('[data-testid="train-pause"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="train-elsewhere"]').text()).toContain('run-a');
    // only the job's run row shows the job's progress
    expect(row(wrapper, 'run-b')).toContain('12/20');
    expect(row(wrapper, 'run-b')).not.toContain('training');
    expect(row(wrapper, 'run-a')).toContain('5/20');
    expect(row(wrapper, 'run-a')).toContain('training');

    fake.emit({ jobId: 't1', kind: 'train', type: 'metrics', point: { step: 6, trainLoss: 0.9, wallSec: 6 } });
    fake.emit({ jobId: 't1', kind: 'train', type: 'progress', done: 6, total: 20 });
    await flushPromises();
    expect(points(wrapper)).toBe(12);
    expect(row(wrapper, 'run-a')).toContain('6/20');

    await wrapper.get('[data-testid="train-show-live"]').trigger('click');
    await flushPromises();
    expect(useTrainingStore().detail?.runId).toBe('run-a');
    expect(points(wrapper)).toBe(6); // the job's curve, with the point that came while run-b was shown
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('running');
    expect(wrapper.find('[data-testid="train-pause"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="train-elsewhere"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('learns the id of a new run while another run is shown, without switching to it', async () => {
    let listed = [storedRun('run-b', 12)];
    const fake = createFakeApi({
      'runs.list': () => listed, 'models.list': () => [], 'jobs.train': () => ({ jobId: 't2', kind: 'train' }),
      'runs.get': (r) => storedRun((r as { runId: string }).runId, (r as { runId: string }).runId === 'run-b' ? 12 : 1),
    });
    setApi(fake.api);
    const store = useTrainingStore();
    await store.loadRuns();
    expect(await store.start({ datasetId: 'mnist', preset: 'tiny', backend: 'auto', seed: 0, tokenizer: TOKENIZER, model: {}, train: {} })).toBe(true);
    await store.openRun('run-b');
    listed = [{ ...storedRun('run-new', 1), updatedAt: 99 }, storedRun('run-b', 12)];
    fake.emit({ jobId: 't2', kind: 'train', type: 'metrics', point: { step: 1, trainLoss: 2, wallSec: 1 } });
    await flushPromises();
    expect(store.runId).toBe('run-b');
    expect(store.metrics).toHaveLength(12);
    expect(store.liveRunId).toBe('run-new');
    await store.showLive();
    expect(store.runId).toBe('run-new');
    expect(store.metrics.map((p) => p.trainLoss)).toEqual([2]);
    expect(store.detail?.runId).toBe('run-new');
  });

  it('a run click answered after "Show its run" does not take the view back from the live run', async () => {
    const slow = deferred(storedRun('run-b', 12));
    setApi(createFakeApi({
      'runs.list': () => [storedRun('run-a', 1), storedRun('run-b', 12)], 'models.list': () => [], 'jobs.train': () => ({ jobId: 't3', kind: 'train' }),
      'runs.get': (r) => ((r as { runId: string }).runId === 'run-b' ? slow.handler() : storedRun('run-a', 1)),
    }).api);
    const store = useTrainingStore();
    await store.loadRuns();
    expect(await store.start({ runId: 'run-a', datasetId: 'mnist', preset: 'tiny', backend: 'auto', seed: 0, tokenizer: TOKENIZER, model: {}, train: {} })).toBe(true);
    const click = store.openRun('run-b'); // its answer is still on the way
    await store.showLive();
    slow.release();
    await click;
    expect(store.runId).toBe('run-a');
    expect(store.following).toBe(true);
    expect(store.detail?.runId).toBe('run-a');
  });

  it("pauses, resumes and stops the job from the banner while another run is shown, without leaving that run", async () => {
    const { fake, wrapper } = await trainingView({ 'jobs.pause': () => ({ state: 'paused' }), 'jobs.resume': () => ({ state: 'running' }), 'jobs.cancel': () => ({ state: 'cancelled' }) });
    await wrapper.get('[data-testid="run-run-b"]').trigger('click');
    await flushPromises();
    const banner = () => wrapper.get('[data-testid="train-elsewhere"]');
    expect(banner().find('[data-testid="train-elsewhere-resume"]').exists()).toBe(false);
    await banner().get('[data-testid="train-elsewhere-pause"]').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'jobs.pause').map((c) => c.request)).toEqual([{ jobId: 't1' }]);
    expect(banner().find('[data-testid="train-elsewhere-pause"]').exists()).toBe(false);
    expect(banner().text()).toContain('paused');
    await banner().get('[data-testid="train-elsewhere-resume"]').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'jobs.resume')).toHaveLength(1);
    await banner().get('[data-testid="train-elsewhere-stop"]').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'jobs.cancel').map((c) => c.request)).toEqual([{ jobId: 't1' }]);
    expect(banner().text()).toContain('ended');
    expect(banner().find('[data-testid="train-elsewhere-stop"]').exists()).toBe(false);
    expect(useTrainingStore().detail?.runId).toBe('run-b'); // the opened run stays
    expect(wrapper.get('[data-testid="train-state"]').text()).toBe('idle');
    wrapper.unmount();
  });

  it('sends one pause per click while the first is unanswered', async () => {
    const pending = deferred({ state: 'paused' });
    const { fake, wrapper } = await trainingView({ 'jobs.pause': pending.handler });
    const pause = wrapper.get('[data-testid="train-pause"]');
    await pause.trigger('click');
    expect((pause.element as HTMLButtonElement).disabled).toBe(true);
    expect((wrapper.get('[data-testid="train-stop"]').element as HTMLButtonElement).disabled).toBe(true);
    await pause.trigger('click');
    await useTrainingStore().control('pause');
    pending.release();
    await flushPromises();
    expect(fake.calls.filter((c) => c.channel === 'jobs.pause')).toHaveLength(1);
    expect((wrapper.get('[data-testid="train-resume"]').element as HTMLButtonElement).disabled).toBe(false);
    wrapper.unmount();
  });
});

describe('Region levels and the image size', () => {
  function deeperLevelsThenSmallImage(levels: number[]): { fake: FakeApi; store: ReturnType<typeof useRegionStore> } {
    const fake = createFakeApi({ 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    const store = useRegionStore();
    const d = digit();
    store.load({ title: '28', width: 28, height: 28, sentence: { tokens: d.tokens, startExponent: d.startExponent }, tokenizer: TOKENIZER, classIndex: 1 });
    store.levels = levels; // a 28 x 28 image pads to 32: levels 0..4
    store.load(flatSource(16, 16)); // levels 0..3
    store.checkpoint();
    store.dab(8, 8, 3, false);
    return { fake, store };
  }
  const sampling = { temperature: 1, topK: 0, topP: 1, guidance: 1 };

  it('drops levels the loaded image does not have, so the request asks what the boxes show', async () => {
    const { fake, store } = deeperLevelsThenSmallImage([2, 4]);
    const boxes = mount(RegionConstraints, { props: { size: 16, classes: [] }, global: { plugins: [pinia] } });
    expect(boxes.findAll('input[data-testid^="level-"]').map((b) => (b.element as HTMLInputElement).checked)).toEqual([false, false, true, false]);
    expect(await store.generate('m1', 1, sampling, 0)).toBe(true);
    const request = fake.calls.find((c) => c.channel === 'jobs.edit')?.request as EditStartRequest;
    expect(request.levels).toEqual([2]);
    boxes.unmount();
  });

  it('says to choose a level, and holds Generate back, when none of the chosen levels is left', async () => {
    const { fake, store } = deeperLevelsThenSmallImage([4]);
    const boxes = mount(RegionConstraints, { props: { size: 16, classes: [] }, global: { plugins: [pinia] } });
    expect(boxes.get('[data-testid="region-levels-error"]').text()).toContain('level');
    expect(await store.generate('m1', 1, sampling, 0)).toBe(false);
    expect(fake.calls.filter((c) => c.channel === 'jobs.edit')).toHaveLength(0);
    boxes.unmount();
  });
});
