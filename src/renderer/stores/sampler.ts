/**
 * Sampler store: models to sample from, the sampling settings, the sample job being
 * followed (its 'tokens' events grow each candidate's sentence live), the candidate strip
 * (keep / discard) and rollback: regenerate a candidate from any token with new settings.
 * Used by: views/SamplerView.vue, components/SamplerSettings.vue, ModelTransfer.vue, and for
 * the model list views/RegionView.vue, components/TrainForm.vue, stores/training.ts, evaluate.ts.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { api, describeError } from '../api';
import { useAppStore } from './app';
import { toTokens } from '../lib/codec';
import { samplingRequest } from '../lib/sampling';
import type { GeneratedSentence, JobEvent, JobState, ModelSummary, RunSummary } from '../../shared/dto';
import type { SampleStartRequest, SamplingDto } from '../../shared/schemas';

export interface SamplerSettings {
  classIndex: number;
  /** null: drawn from the class histogram. */
  startExponent: number | null;
  sampling: SamplingDto;
  seed: number;
  count: number;
}

export interface Candidate {
  key: string;
  jobId: string;
  sample: number;
  modelId: string;
  tokens: Uint8Array;
  startExponent: number;
  /** Expected sentence length while generating (0 when unknown). */
  total: number;
  classIndex: number;
  seed: number;
  sampling: SamplingDto;
  done: boolean;
  kept: boolean;
}

export const DEFAULT_SAMPLER_SETTINGS: SamplerSettings = {
  classIndex: 0, startExponent: null, sampling: { temperature: 1, topK: 0, topP: 1, guidance: 1, guidancePlanes: 0 }, seed: 0, count: 4,
};

/** Places a tokens event (a chunk ending at `length`, or the whole prefix) into a sentence. */
export function applyTokens(existing: Uint8Array, chunk: readonly number[], length: number): Uint8Array {
  const offset = Math.max(0, length - chunk.length);
  const out = new Uint8Array(offset + chunk.length);
  out.set(existing.subarray(0, Math.min(offset, existing.length)), 0);
  out.set(chunk, offset);
  return out;
}

/** Outcome of an import or export, as one sentence for the Models panel. */
export interface TransferResult {
  ok: boolean;
  message: string;
}

/**
 * The model a fresh Sampler starts on: the first starter model, else the run model whose
 * run was updated last (runs.list), else the first model listed; null when there are none.
 */
export function pickDefaultModel(models: readonly ModelSummary[], runs: readonly RunSummary[]): string | null {
  const starter = models.find((m) => m.source === 'starter');
  if (starter) return starter.modelId;
  const updated = new Map(runs.map((r) => [r.runId, r.updatedAt]));
  const runModels = models.filter((m) => m.source === 'run').sort((a, b) => (updated.get(b.modelId) ?? 0) - (updated.get(a.modelId) ?? 0));
  return runModels[0]?.modelId ?? models[0]?.modelId ?? null;
}

export const useSamplerStore = defineStore('sampler', () => {
  const models = ref<ModelSummary[]>([]);
  const modelId = ref<string | null>(null);
  const settings = ref<SamplerSettings>({ ...DEFAULT_SAMPLER_SETTINGS, sampling: { ...DEFAULT_SAMPLER_SETTINGS.sampling } });
  const jobId = ref<string | null>(null);
  const state = ref<JobState | null>(null);
  const candidates = shallowRef<Candidate[]>([]);
  const selectedKey = ref<string | null>(null);
  const requested = ref<{ modelId: string; seed: number; sampling: SamplingDto; classIndex: number; from: number; base?: Candidate } | null>(null);
  let unsubscribe: (() => void) | null = null;

  const model = computed(() => models.value.find((m) => m.modelId === modelId.value) ?? null);
  const selected = computed(() => candidates.value.find((c) => c.key === selectedKey.value) ?? candidates.value[0] ?? null);
  /** True while jobs.sample has not answered yet: a second click must not start a second job. */
  const starting = ref(false);
  const running = computed(() => state.value === 'queued' || state.value === 'running');

  // the sampling settings follow the chosen model: its recommended ones, else the defaults
  watch(() => model.value?.modelId, (id, previous) => {
    if (id === undefined || id === previous) return;
    settings.value.sampling = { ...DEFAULT_SAMPLER_SETTINGS.sampling, ...model.value?.sampling };
  });

  async function loadModels(): Promise<void> {
    const result = await api().models.list({});
    if (!result.ok) return useAppStore().report('Listing models', result.error);
    models.value = result.value;
    if (model.value || result.value.length === 0) return;
    const needRuns = !result.value.some((m) => m.source === 'starter') && result.value.filter((m) => m.source === 'run').length > 1;
    const runs = needRuns ? await api().runs.list({}) : null;
    modelId.value = pickDefaultModel(result.value, runs?.ok ? runs.value : []);
  }

  /** Imports a model package (a .zip path on the engine's machine) and selects it. */
  async function importModel(path: string): Promise<TransferResult> {
    const trimmed = path.trim();
    if (!trimmed) return { ok: false, message: 'Enter the path of a model package (.zip) first.' };
    const result = await api().models.import({ path: trimmed });
    if (!result.ok) return { ok: false, message: describeError(`Importing ${trimmed}`, result.error) };
    const summary = result.value;
    models.value = [...models.value.filter((m) => m.modelId !== summary.modelId), summary];
    modelId.value = summary.modelId;
    return { ok: true, message: `Imported ${summary.modelId} (${summary.datasetId}, ${summary.params.toLocaleString('en-US')} params).` };
  }

  /** Exports the selected model as a package to `path` on the engine's machine. */
  async function exportModel(path: string): Promise<TransferResult> {
    const trimmed = path.trim();
    const id = modelId.value;
    if (!id) return { ok: false, message: 'Pick a model to export first.' };
    if (!trimmed) return { ok: false, message: 'Enter the path of the package to write (.zip) first.' };
    const result = await api().models.export({ modelId: id, path: trimmed });
    if (!result.ok) return { ok: false, message: describeError(`Exporting ${id}`, result.error) };
    return { ok: true, message: `Exported ${id} to ${result.value.path} (${(result.value.bytes / 1024).toFixed(0)} KiB).` };
  }

  function upsert(key: string, make: () => Candidate, change: (c: Candidate) => Candidate): void {
    const list = candidates.value;
    const i = list.findIndex((c) => c.key === key);
    const next = list.slice();
    if (i < 0) next.push(change(make()));
    else next[i] = change(list[i]);
    candidates.value = next;
  }

  function blank(e: JobEvent, sample: number): Candidate {
    const r = requested.value;
    const base = r?.base;
    return {
      key: `${e.jobId}:${sample}`, jobId: e.jobId, sample, modelId: r?.modelId ?? modelId.value ?? '',
      tokens: base ? base.tokens.slice(0, r.from) : new Uint8Array(0), startExponent: base?.startExponent ?? 0, total: 0,
      classIndex: r?.classIndex ?? settings.value.classIndex, seed: (r?.seed ?? 0) + sample, sampling: r?.sampling ?? settings.value.sampling,
      done: false, kept: false,
    };
  }

  function finish(e: JobEvent & { type: 'done' }): void {
    const sentences = (e.result as { sentences?: GeneratedSentence[] } | null)?.sentences ?? [];
    sentences.forEach((s, sample) => {
      upsert(`${e.jobId}:${sample}`, () => blank(e, sample), (c) => ({
        ...c, tokens: toTokens(s.tokens), startExponent: s.startExponent, total: s.tokens.length, classIndex: s.classIndex, seed: s.seed, done: true,
      }));
    });
    candidates.value = candidates.value.map((c) => (c.jobId === e.jobId ? { ...c, done: true } : c));
  }

  function onEvent(e: JobEvent): void {
    if (e.jobId !== jobId.value) return;
    if (e.type === 'tokens') {
      upsert(`${e.jobId}:${e.sample}`, () => blank(e, e.sample), (c) => ({
        ...c, tokens: applyTokens(c.tokens, e.tokens, e.length), startExponent: e.startExponent, total: e.total,
      }));
      selectedKey.value ??= `${e.jobId}:${e.sample}`;
    } else if (e.type === 'started') state.value = 'running';
    else if (e.type === 'state') state.value = e.state;
    else if (e.type === 'done') {
      state.value = 'done';
      finish(e);
    } else if (e.type === 'error') {
      state.value = e.code === 'CANCELLED' ? 'cancelled' : 'error';
      if (e.code !== 'CANCELLED') useAppStore().report('Sampling', { code: e.code as 'INTERNAL', message: e.message });
    }
  }

  function attach(): void {
    unsubscribe ??= api().onJobEvent(onEvent);
  }

  /** After a reload: follow the newest sample job again, from its snapshot (sentences so far, or its result). */
  async function reattach(): Promise<void> {
    if (jobId.value) return;
    const result = await api().jobs.list({});
    if (!result.ok) return;
    const job = result.value.filter((j) => j.kind === 'sample' && j.state !== 'error' && j.state !== 'cancelled').sort((a, b) => b.startedAt - a.startedAt)[0];
    if (!job) return;
    attach();
    const r = job.request as Partial<SampleStartRequest>;
    requested.value = { modelId: r.modelId ?? '', seed: r.seed ?? 0, sampling: { ...settings.value.sampling, ...r.sampling }, classIndex: r.classIndex ?? 0, from: 0 };
    jobId.value = job.jobId;
    state.value = job.state;
    const header = { jobId: job.jobId, kind: job.kind } as const;
    for (const p of job.partial ?? []) {
      onEvent({ ...header, type: 'tokens', sample: p.sample, tokens: p.tokens, startExponent: p.startExponent, length: p.tokens.length, total: p.tokens.length });
    }
    if (job.state === 'done') finish({ ...header, type: 'done', result: job.result });
  }

  /** Starts sampling; with `base` and `from`, continues that candidate after its first `from` tokens. */
  async function generate(base?: Candidate, from?: number): Promise<boolean> {
    attach();
    const id = base?.modelId ?? modelId.value;
    if (!id || starting.value) return false;
    const s = settings.value;
    const sampling = samplingRequest(s.sampling);
    const request: SampleStartRequest = {
      modelId: id, classIndex: s.classIndex, count: s.count, startExponent: s.startExponent,
      sampling, seed: s.seed,
      ...(base && from !== undefined ? { prefix: { tokens: Array.from(base.tokens), startExponent: base.startExponent }, from } : {}),
    };
    starting.value = true;
    const result = await api().jobs.sample(request).finally(() => {
      starting.value = false;
    });
    if (!result.ok) {
      useAppStore().report('Starting sampling', result.error);
      return false;
    }
    candidates.value = candidates.value.filter((c) => c.kept || c === base);
    requested.value = { modelId: id, seed: s.seed, sampling, classIndex: s.classIndex, from: from ?? 0, base };
    jobId.value = result.value.jobId;
    state.value = 'queued';
    selectedKey.value = null;
    return true;
  }

  async function stop(): Promise<void> {
    if (!jobId.value) return;
    const result = await api().jobs.cancel({ jobId: jobId.value });
    if (!result.ok) useAppStore().report('Stopping sampling', result.error);
  }

  function keep(key: string, kept = true): void {
    candidates.value = candidates.value.map((c) => (c.key === key ? { ...c, kept } : c));
  }

  function discard(key: string): void {
    candidates.value = candidates.value.filter((c) => c.key !== key);
    if (selectedKey.value === key) selectedKey.value = null;
  }

  function select(key: string): void {
    selectedKey.value = key;
  }

  return {
    models, modelId, model, settings, jobId, state, starting, running, candidates, selected, selectedKey,
    loadModels, importModel, exportModel, generate, stop, keep, discard, select, onEvent, attach, reattach,
  };
});
