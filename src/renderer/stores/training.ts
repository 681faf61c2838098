/**
 * Training store: the runs on disk (runs.list / runs.get), the training job being followed
 * (its metrics merged by step, progress, ETA, memory, backend), the run opened in the view
 * (its detail and sample gallery), and other runs overlaid for comparison. The opened run
 * and the followed job's run may differ: the job's events keep filling its own curves while
 * another run is shown. A reload re-attaches to a live job through jobs.list.
 * Used by: views/TrainingView.vue (which hands its metrics to components/MetricChart.vue).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import { useSamplerStore } from './sampler';
import { isLive } from './jobs';
import type { BackendName, JobEvent, JobState, MetricPoint, RunDetail, RunSummary } from '../../shared/dto';
import type { TrainStartRequest } from '../../shared/schemas';

/** Inserts or merges a point by step (train and val losses may arrive separately). */
export function mergeMetrics(points: readonly MetricPoint[], point: MetricPoint): MetricPoint[] {
  const out = points.slice();
  let lo = 0;
  let hi = out.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (out[mid].step < point.step) lo = mid + 1;
    else hi = mid;
  }
  if (out[lo]?.step === point.step) {
    const merged: MetricPoint = { ...out[lo] };
    for (const [k, v] of Object.entries(point) as [keyof MetricPoint, number | undefined][]) if (v !== undefined) merged[k] = v;
    out[lo] = merged;
  } else out.splice(lo, 0, point);
  return out;
}

export interface TrainProgress {
  done: number;
  total: number;
  etaSec?: number;
  rssMb?: number;
  message?: string;
}

const GALLERY_REFRESH_MS = 5000;

export const useTrainingStore = defineStore('training', () => {
  const runs = ref<RunSummary[]>([]);
  const jobId = ref<string | null>(null);
  /** The run the followed job trains (null until a new run's id is known). */
  const liveRunId = ref<string | null>(null);
  /** The run opened in the view: `detail` is its. */
  const runId = ref<string | null>(null);
  const state = ref<JobState | null>(null);
  const backend = ref<BackendName | null>(null);
  const liveMetrics = shallowRef<MetricPoint[]>([]);
  const liveProgress = ref<TrainProgress>({ done: 0, total: 0 });
  const detail = shallowRef<RunDetail | null>(null);
  /** The opened run is the followed job's: the view shows the job's live curves and state. */
  const following = computed(() => jobId.value !== null && runId.value === liveRunId.value);
  // a run's summary lags behind its job, so the job's own curves stand for its run
  const metrics = computed(() => (following.value ? liveMetrics.value : detail.value?.metrics ?? []));
  const progress = computed<TrainProgress>(() => {
    if (following.value) return liveProgress.value;
    return detail.value ? { done: detail.value.step, total: detail.value.totalSteps } : { done: 0, total: 0 };
  });
  const compare = shallowRef<Record<string, MetricPoint[]>>({});
  const error = ref<string | null>(null);
  /** True while jobs.train has not answered yet: a second click must not start a second run. */
  const starting = ref(false);
  /** True while a pause / resume / stop request has not answered yet: a double click must not send it twice. */
  const controlling = ref(false);
  /** Numbers each openRun / showLive: only the latest one's answer is shown. */
  let opening = 0;
  let knownRuns = new Set<string>();
  let lastGalleryFetch = 0;
  let unsubscribe: (() => void) | null = null;

  async function loadRuns(): Promise<void> {
    const result = await api().runs.list({});
    if (!result.ok) return useAppStore().report('Listing runs', result.error);
    runs.value = [...result.value].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async function openRun(id: string): Promise<void> {
    const ticket = ++opening;
    const result = await api().runs.get({ runId: id });
    if (ticket !== opening) return; // another run (or the live one) was opened meanwhile
    if (!result.ok) return useAppStore().report('Opening the run', result.error);
    detail.value = result.value;
    runId.value = id;
    if (jobId.value && state.value && isLive(state.value)) return; // the live job goes on being followed
    // a finished job's curves are stored with its run now; its state and error belong to no run shown
    jobId.value = null;
    liveRunId.value = null;
    state.value = null;
    backend.value = null;
    error.value = null;
  }

  /** Opens the followed job's run again (its curves were kept up to date meanwhile). */
  async function showLive(): Promise<void> {
    if (!jobId.value) return;
    opening += 1; // a run click still unanswered must not take the view back
    runId.value = liveRunId.value;
    detail.value = null;
    await refreshGallery(true);
  }

  /** Finds the run a new job created: the newest run that did not exist when it started. */
  async function discoverRun(): Promise<void> {
    await loadRuns();
    const fresh = runs.value.find((r) => !knownRuns.has(r.runId));
    if (!fresh) return;
    if (following.value) runId.value = fresh.runId;
    liveRunId.value = fresh.runId;
  }

  async function refreshGallery(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - lastGalleryFetch < GALLERY_REFRESH_MS) return;
    lastGalleryFetch = now;
    if (!liveRunId.value) await discoverRun();
    const id = liveRunId.value;
    // another run opened meanwhile keeps its own detail
    if (!id || !following.value) return;
    const result = await api().runs.get({ runId: id });
    if (result.ok && runId.value === id) detail.value = result.value;
  }

  function onEvent(e: JobEvent): void {
    if (e.jobId !== jobId.value) return;
    if (e.type === 'metrics') {
      liveMetrics.value = mergeMetrics(liveMetrics.value, e.point);
      void refreshGallery();
    } else if (e.type === 'progress') liveProgress.value = { done: e.done, total: e.total, etaSec: e.etaSec, rssMb: e.rssMb ?? liveProgress.value.rssMb, message: e.message };
    else if (e.type === 'started') {
      state.value = 'running';
      backend.value = e.backend ?? backend.value;
    } else if (e.type === 'state') state.value = e.state;
    else if (e.type === 'error') {
      state.value = e.code === 'CANCELLED' ? 'cancelled' : 'error';
      if (e.code !== 'CANCELLED') error.value = e.message;
    } else if (e.type === 'done') {
      state.value = 'done';
      const r = e.result as { runId?: unknown } | null;
      if (r && typeof r.runId === 'string') {
        if (following.value) runId.value = r.runId;
        liveRunId.value = r.runId;
      }
      void loadRuns().then(() => refreshGallery(true));
    }
    // a finished or stopped run leaves a checkpoint: the model lists show it from now on
    if (e.type === 'done' || e.type === 'error' || (e.type === 'state' && e.state === 'cancelled')) void useSamplerStore().loadModels();
  }

  function attach(): void {
    unsubscribe ??= api().onJobEvent(onEvent);
  }

  /** After a reload: follow a live training job again, from its snapshot. */
  async function restore(): Promise<void> {
    attach();
    await loadRuns();
    const result = await api().jobs.list({});
    if (!result.ok) return;
    const live = result.value.filter((j) => j.kind === 'train' && ['queued', 'running', 'paused'].includes(j.state)).sort((a, b) => b.startedAt - a.startedAt)[0];
    if (!live) return;
    jobId.value = live.jobId;
    state.value = live.state;
    backend.value = live.backend ?? null;
    liveMetrics.value = live.metrics.reduce<MetricPoint[]>((acc, p) => mergeMetrics(acc, p), []);
    if (live.lastProgress) liveProgress.value = { ...live.lastProgress };
    const requested = (live.request as { runId?: unknown } | null)?.runId;
    liveRunId.value = typeof requested === 'string' ? requested : null;
    runId.value = liveRunId.value;
    await refreshGallery(true);
  }

  async function start(request: TrainStartRequest): Promise<boolean> {
    if (starting.value) return false;
    attach();
    error.value = null;
    knownRuns = new Set(runs.value.map((r) => r.runId));
    starting.value = true;
    const result = await api().jobs.train(request).finally(() => {
      starting.value = false;
    });
    if (!result.ok) {
      useAppStore().report('Starting training', result.error);
      return false;
    }
    jobId.value = result.value.jobId;
    liveRunId.value = request.runId ?? null;
    runId.value = liveRunId.value;
    state.value = 'queued';
    liveMetrics.value = [];
    detail.value = null;
    liveProgress.value = { done: 0, total: 0 };
    return true;
  }

  async function control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!jobId.value || controlling.value) return;
    controlling.value = true;
    const result = await api().jobs[action]({ jobId: jobId.value }).finally(() => {
      controlling.value = false;
    });
    if (!result.ok) return useAppStore().report(`Trying to ${action === 'cancel' ? 'stop' : action} training`, result.error);
    state.value = result.value.state;
  }

  async function toggleCompare(id: string): Promise<void> {
    if (compare.value[id]) {
      const next = { ...compare.value };
      delete next[id];
      compare.value = next;
      return;
    }
    const result = await api().runs.get({ runId: id });
    if (!result.ok) return useAppStore().report('Loading the run to compare', result.error);
    compare.value = { ...compare.value, [id]: result.value.metrics };
  }

  return {
    runs, jobId, liveRunId, runId, following, state, backend, metrics, liveMetrics, progress, liveProgress, detail, compare, error,
    starting, controlling, loadRuns, openRun, showLive, restore, start, control, toggleCompare, onEvent, attach,
  };
});
