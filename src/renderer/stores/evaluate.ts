/**
 * Evaluate store: which model to evaluate, with how many samples and which seed; the eval
 * job being followed (stage and progress from its events) and the report on screen, either
 * fresh from the job's 'done' result or the model's saved one (ModelSummary.evalReport).
 * The model list itself lives in the sampler store (one list for every view).
 * Used by: views/EvaluateView.vue.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import { useSamplerStore } from './sampler';
import { readEvalReport, type EvalReportView } from '../lib/eval-report';
import { samplingRequest } from '../lib/sampling';
import type { JobEvent, JobState } from '../../shared/dto';

export interface EvalProgress {
  stage: string;
  done: number;
  total: number;
}

export const DEFAULT_EVAL_SETTINGS = { samples: 200, seed: 0, temperature: 1, topP: 1, guidance: 1, guidancePlanes: 0 } as const;

export const useEvaluateStore = defineStore('evaluate', () => {
  const modelId = ref<string | null>(null);
  const samples = ref<number>(DEFAULT_EVAL_SETTINGS.samples);
  const seed = ref<number>(DEFAULT_EVAL_SETTINGS.seed);
  /**
   * How samples are drawn: temperature 1, top-p 1 and guidance 1 measure the model's own
   * distribution; selecting a model that recommends settings (a starter) takes those.
   */
  const temperature = ref<number>(DEFAULT_EVAL_SETTINGS.temperature);
  const topP = ref<number>(DEFAULT_EVAL_SETTINGS.topP);
  const guidance = ref<number>(DEFAULT_EVAL_SETTINGS.guidance);
  /** Leading bit-planes that guidance applies to (0 = every plane). */
  const guidancePlanes = ref<number>(DEFAULT_EVAL_SETTINGS.guidancePlanes);
  const jobId = ref<string | null>(null);
  const state = ref<JobState | null>(null);
  const progress = ref<EvalProgress | null>(null);
  const error = ref<string | null>(null);
  /** The report shown and where it came from. */
  const report = shallowRef<EvalReportView | null>(null);
  const origin = ref<'job' | 'saved' | null>(null);
  /** Reports finished in this session, by model id (newer than the list's saved ones). */
  const fresh = shallowRef<Record<string, unknown>>({});
  let jobModelId: string | null = null;
  /** Eval events that arrived before jobs.eval answered with their job id (replayed then). */
  let early: JobEvent[] = [];
  let unsubscribe: (() => void) | null = null;

  const models = computed(() => useSamplerStore().models);
  const model = computed(() => models.value.find((m) => m.modelId === modelId.value) ?? null);
  const starting = ref(false);
  const running = computed(() => starting.value || state.value === 'queued' || state.value === 'running');

  /** Shows the selected model's saved report, if it has one (else clears the view). */
  function showSaved(): void {
    if (running.value) return;
    const id = modelId.value;
    const saved = readEvalReport((id && fresh.value[id]) ?? model.value?.evalReport);
    report.value = saved;
    origin.value = saved ? 'saved' : null;
  }

  function select(id: string | null): void {
    modelId.value = id;
    error.value = null;
    const recommended = model.value?.sampling;
    temperature.value = recommended?.temperature ?? DEFAULT_EVAL_SETTINGS.temperature;
    topP.value = recommended?.topP ?? DEFAULT_EVAL_SETTINGS.topP;
    guidance.value = recommended?.guidance ?? DEFAULT_EVAL_SETTINGS.guidance;
    guidancePlanes.value = recommended?.guidancePlanes ?? DEFAULT_EVAL_SETTINGS.guidancePlanes;
    showSaved();
  }

  /** Refreshes the shared model list and keeps (or picks) a selection. */
  async function loadModels(): Promise<void> {
    const sampler = useSamplerStore();
    await sampler.loadModels();
    if (!model.value) select(sampler.modelId ?? sampler.models[0]?.modelId ?? null);
    else if (!report.value) showSaved();
  }

  function onEvent(e: JobEvent): void {
    if (e.jobId !== jobId.value) {
      if (e.kind === 'eval' && starting.value) early = [...early.slice(-49), e];
      return;
    }
    if (e.type === 'started') {
      state.value = 'running';
      progress.value = { stage: 'sampling', done: 0, total: e.total ?? samples.value };
    } else if (e.type === 'progress') progress.value = { stage: e.message ?? progress.value?.stage ?? '', done: e.done, total: e.total };
    else if (e.type === 'state') state.value = e.state;
    else if (e.type === 'done') {
      state.value = 'done';
      report.value = readEvalReport(e.result);
      origin.value = report.value ? 'job' : null;
      if (report.value && jobModelId) fresh.value = { ...fresh.value, [jobModelId]: e.result };
      if (!report.value) error.value = 'The evaluation finished but its report could not be read.';
    } else if (e.type === 'error') {
      state.value = e.code === 'CANCELLED' ? 'cancelled' : 'error';
      error.value = e.code === 'CANCELLED' ? null : e.message;
      if (e.code !== 'CANCELLED') useAppStore().report('Evaluating', { code: e.code as 'INTERNAL', message: e.message });
    }
  }

  function attach(): void {
    unsubscribe ??= api().onJobEvent(onEvent);
  }

  async function run(): Promise<boolean> {
    attach();
    const id = modelId.value;
    if (!id || running.value) return false;
    error.value = null;
    early = [];
    starting.value = true;
    const result = await api().jobs.eval({ modelId: id, samples: samples.value, seed: seed.value, sampling: samplingRequest({ temperature: temperature.value, topK: 0, topP: topP.value, guidance: guidance.value, guidancePlanes: guidancePlanes.value }) });
    starting.value = false;
    if (!result.ok) {
      useAppStore().report('Starting the evaluation', result.error);
      error.value = result.error.message;
      return false;
    }
    jobId.value = result.value.jobId;
    jobModelId = id;
    state.value = 'queued';
    progress.value = { stage: 'queued', done: 0, total: samples.value };
    const replay = early.filter((e) => e.jobId === result.value.jobId);
    early = [];
    replay.forEach(onEvent);
    return true;
  }

  async function stop(): Promise<void> {
    if (!jobId.value) return;
    const result = await api().jobs.cancel({ jobId: jobId.value });
    if (!result.ok) useAppStore().report('Stopping the evaluation', result.error);
  }

  return {
    modelId, samples, seed, temperature, topP, guidance, guidancePlanes, jobId, state, progress, error, report, origin, models, model, running,
    select, showSaved, loadModels, run, stop, onEvent, attach,
  };
});
