/**
 * The 'train' job: preset + overrides -> a run folder that trains, checkpoints, logs
 * metrics and gallery samples; resumes from the run's last checkpoint when it has one.
 * Request: trainStartSchema (runId given = resume that run, else a new run id).
 * runTraining() is the same work for a caller-chosen run folder (cli train --run-dir).
 * Used by: worker/jobs/index.ts (job host), cli/commands/train.ts.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { TokenCorpus } from '../../core/data/corpus';
import type { TokenizerConfig } from '../../core/language';
import { createGpt, type Gpt } from '../../core/model/gpt';
import { createGptTrainTask } from '../../core/model/train-task';
import { assignVariables, readVariables } from '../../core/model/weights';
import { sampleSentences } from '../../core/sample/sampler';
import { fitStartStats, type ClassStartStats } from '../../core/sample/start';
import { NonFiniteLossError, train, type TrainEvent } from '../../core/train/trainer';
import { selectBackend } from '../../node/backend';
import { getTokenCorpus } from '../../node/datasets/corpus';
import { loadCheckpoint, modelWeights, saveCheckpoint, type Checkpoint } from '../../node/runs/checkpoint';
import { acquireRunLock } from '../../node/runs/lock';
import { resolveModelDir } from '../../node/runs/models';
import { loadPreset, resolveConfigs } from '../../node/runs/presets';
import { appendMetric, readRunConfig, truncateMetrics, writeGallery, writeRunConfig } from '../../node/runs/store';
import { workspaceLayout } from '../../node/workspace';
import type { BackendName, GeneratedSentence } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { trainStartSchema } from '../../shared/schemas';
import { parseJobRequest } from '../parse-request';
import type { JobContext, JobEventBody, JobHandler } from '../job-types';

export interface TrainingOptions {
  workspace: string;
  runDir: string;
  datasetId: string;
  tokenizer: TokenizerConfig;
  preset: string;
  model: Record<string, unknown>;
  train: Record<string, unknown>;
  seed: number;
  /**
   * A model folder (run or packaged model) whose weights start a new run: its architecture
   * is kept (model overrides may change only `context`), the tokenizer, data and schedule
   * are this run's. Used to extend a model trained on a coarse language (a larger final
   * threshold, shorter sentences) to a finer one. Ignored when the run resumes.
   */
  initFrom?: string;
  backend: BackendName | 'auto';
  emit(event: JobEventBody): void;
  signal: AbortSignal;
  pauseGate(): Promise<void>;
}

export interface TrainingResult {
  runId: string;
  runDir: string;
  step: number;
  reason: 'completed' | 'cancelled';
  lastLoss: number;
  backend: BackendName;
}

/** Model fields an initialising model fixes (the weight shapes and features depend on them). */
const ARCHITECTURE_KEYS = ['layers', 'width', 'heads', 'mlpRatio', 'numClasses', 'exponentMin', 'exponentCount', 'maxPlanes', 'maxLevels', 'positionFrequencies', 'nextSlotFeatures'] as const;

interface InitSource {
  dir: string;
  checkpoint: Checkpoint;
}

async function loadInitSource(dir: string, classCount: number, overrides: Record<string, unknown>): Promise<InitSource> {
  const checkpoint = await loadCheckpoint(dir, { optimizer: false });
  if (!checkpoint) throw new StudioError('NOT_FOUND', `${dir} holds no model to start from (no checkpoint)`);
  if (checkpoint.state.classes.length !== classCount) {
    throw new StudioError('BAD_REQUEST', `the model in ${dir} has ${checkpoint.state.classes.length} classes, the dataset has ${classCount}`);
  }
  const fixed = Object.keys(overrides).filter((k) => (ARCHITECTURE_KEYS as readonly string[]).includes(k));
  if (fixed.length > 0) throw new StudioError('BAD_REQUEST', `a run started from a model keeps its architecture: ${fixed.join(', ')} cannot be overridden`);
  return { dir, checkpoint };
}

const rssMb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

async function loadCorpora(o: TrainingOptions, tokenizer: TokenizerConfig, datasetId: string): Promise<{ trainCorpus: TokenCorpus; testCorpus: TokenCorpus }> {
  const onProgress = (done: number, total: number, message?: string): void => o.emit({ type: 'progress', done, total, message: message ?? 'tokenizing', rssMb: rssMb() });
  const trainCorpus = await getTokenCorpus(o.workspace, datasetId, tokenizer, 'train', { onProgress, signal: o.signal });
  const testCorpus = await getTokenCorpus(o.workspace, datasetId, tokenizer, 'test', { signal: o.signal });
  return { trainCorpus, testCorpus };
}

async function gallerySamples(model: Gpt, corpus: TokenCorpus, stats: ClassStartStats[], count: number, step: number): Promise<GeneratedSentence[]> {
  const meta = { tokenizer: corpus.tokenizer, geometry: corpus.geometry, classes: corpus.classes, stats };
  const out: GeneratedSentence[] = [];
  for (let i = 0; i < count; i++) {
    const classIndex = i % corpus.classes.length;
    const [s] = await sampleSentences(model, meta, { classIndex, count: 1, startExponent: null, sampling: { temperature: 1, topK: 0, topP: 1 }, seed: step * 1000 + i });
    out.push({ tokens: Array.from(s.tokens), startExponent: s.startExponent, classIndex, seed: s.seed, size: corpus.geometry.size, width: corpus.geometry.width, height: corpus.geometry.height });
  }
  return out;
}

/** Trains the run folder while holding its lock (one trainer per run: a second is refused with CONFLICT). */
export async function runTraining(o: TrainingOptions): Promise<TrainingResult> {
  const existed = await fs.stat(o.runDir).then(() => true, () => false);
  const release = await acquireRunLock(o.runDir);
  try {
    return await trainRun(o);
  } finally {
    await release();
    if (!existed) await fs.rmdir(o.runDir).catch(() => undefined); // a run that failed before writing anything leaves no folder
  }
}

async function trainRun(o: TrainingOptions): Promise<TrainingResult> {
  const { name: backend } = await selectBackend(o.backend);
  const runId = basename(o.runDir);
  const previous: Checkpoint | undefined = await loadCheckpoint(o.runDir);
  if (previous && !previous.hasOptimizer) {
    throw new StudioError('BAD_REQUEST', `${o.runDir} holds a packaged model without optimizer state: it can be sampled and evaluated, not trained further (train into a new run folder)`);
  }
  const saved = await readRunConfig(o.runDir);
  const datasetId = previous?.state.datasetId ?? saved?.datasetId ?? o.datasetId;
  const tokenizer = previous?.state.tokenizer ?? o.tokenizer;
  o.emit({ type: 'started', backend, detail: `${previous ? 'resume' : 'train'} ${runId} on ${datasetId} (${backend})` });
  const { trainCorpus, testCorpus } = await loadCorpora(o, tokenizer, datasetId);
  const init = !previous && o.initFrom ? await loadInitSource(o.initFrom, trainCorpus.classes.length, o.model) : undefined;
  const preset = loadPreset(o.preset);
  const base = init ? { ...preset, model: { ...init.checkpoint.state.model } } : preset;
  const resolved = resolveConfigs(base, { model: o.model, train: o.train }, trainCorpus.classes.length, o.seed);
  const modelConfig = previous?.state.model ?? resolved.model;
  // A resumed run keeps its saved configs; only the length of the schedule and the weight
  // average (which does not change the trained weights) may be changed.
  const trainConfig = previous
    ? {
      ...previous.state.train,
      ...(o.train.steps !== undefined ? { steps: resolved.train.steps } : {}),
      ...(o.train.emaDecay !== undefined ? { emaDecay: resolved.train.emaDecay } : {}),
    }
    : resolved.train;
  const stats = previous?.state.stats ?? fitStartStats(trainCorpus);
  const model = createGpt(modelConfig);
  try {
    if (previous) {
      assignVariables(model, previous.weights);
      await truncateMetrics(o.runDir, previous.state.step);
    } else if (init) {
      try {
        assignVariables(model, modelWeights(init.checkpoint));
      } catch (e) {
        throw new StudioError('BAD_REQUEST', `cannot start from ${init.dir}: ${(e as Error).message}`);
      }
      o.emit({ type: 'progress', done: 0, total: 1, message: `weights from ${init.dir} (step ${init.checkpoint.state.step})`, rssMb: rssMb() });
    }
    if (!saved || previous) {
      await writeRunConfig(o.runDir, {
        schemaVersion: 1, runId, datasetId, preset: saved?.preset ?? o.preset, tokenizer, model: modelConfig, train: trainConfig, seed: saved?.seed ?? o.seed, createdAt: saved?.createdAt ?? Date.now(),
        ...(saved?.initFrom ? { initFrom: saved.initFrom } : init ? { initFrom: { path: init.dir, step: init.checkpoint.state.step, tokenizer: init.checkpoint.state.tokenizer } } : {}),
      });
    }
    const task = createGptTrainTask(model, trainCorpus, testCorpus, { ...trainConfig, seed: trainConfig.seed });
    const onEvent = (e: TrainEvent): void => {
      if (e.type === 'step') {
        o.emit({ type: 'progress', done: e.step, total: e.totalSteps, etaSec: e.etaSec, rssMb: rssMb(), message: `loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ${Math.round(e.tokensPerSec)} tok/s` });
      } else if (e.type === 'metrics') {
        const point = { step: e.step, trainLoss: e.trainLoss, valLoss: e.valLoss, ...(e.emaValLoss !== undefined ? { emaValLoss: e.emaValLoss } : {}), lr: e.lr, tokensPerSec: Math.round(e.tokensPerSec), wallSec: Math.round(e.wallSec * 10) / 10 };
        void appendMetric(o.runDir, point);
        o.emit({ type: 'metrics', point });
      }
    };
    const start = previous
      ? {
        step: previous.state.step, rng: previous.state.rng, wallSec: previous.state.wallSec, optimizer: { updates: previous.state.optimizerUpdates, arrays: previous.optimizer },
        ...(previous.ema.length > 0 ? { ema: { updates: previous.state.emaUpdates ?? 0, arrays: previous.ema } } : {}),
      }
      : { step: 0 };
    const outcome = await train(task, trainConfig, start, {
      onEvent,
      signal: o.signal,
      pauseGate: o.pauseGate,
      saveCheckpoint: (snap) => saveCheckpoint(o.runDir, {
        step: snap.step, rng: snap.rng, wallSec: snap.wallSec, optimizerUpdates: snap.optimizer.updates, model: modelConfig, train: trainConfig, tokenizer,
        geometry: trainCorpus.geometry, datasetId, classes: trainCorpus.classes, stats, params: model.params,
      }, readVariables(model), snap.optimizer.arrays, snap.ema),
      gallery: async (step) => writeGallery(o.runDir, step, await gallerySamples(model, trainCorpus, stats, trainConfig.gallerySize, step)),
    });
    return { runId, runDir: o.runDir, step: outcome.step, reason: outcome.reason, lastLoss: outcome.lastLoss, backend };
  } catch (e) {
    if (e instanceof NonFiniteLossError) throw new StudioError('NAN_LOSS', e.message);
    throw e;
  } finally {
    model.dispose();
  }
}

export const handler: JobHandler<unknown, TrainingResult> = async (request, ctx: JobContext) => {
  const r = parseJobRequest(trainStartSchema, request, 'train');
  const runId = r.runId ?? `${r.datasetId}-${r.preset}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
  const runDir = join(workspaceLayout(ctx.workspace).runs, runId);
  if (r.runId && !(await readRunConfig(runDir))) throw new StudioError('NOT_FOUND', `no run "${r.runId}" to resume`);
  const initFrom = r.initFrom !== undefined && !r.runId ? await resolveModelDir(ctx.workspace, r.initFrom) : undefined;
  return runTraining({
    workspace: ctx.workspace, runDir, datasetId: r.datasetId, tokenizer: r.tokenizer, preset: r.preset, model: r.model, train: r.train, seed: r.seed, initFrom,
    backend: r.backend === 'auto' ? ctx.backend : r.backend, emit: ctx.emit, signal: ctx.signal, pauseGate: ctx.pauseGate,
  });
};
