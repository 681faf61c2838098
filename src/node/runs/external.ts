/**
 * Runs trained outside the studio's trainer (scripts/torch-train.py on a GPU machine with
 * PyTorch but no libtensorflow): turns its output (the trained weights, their average and
 * a JSON-lines log, in the studio's weights layout) into a run folder the studio samples,
 * evaluates, packages and trains further from (--init-from):
 *   config.json   the source run's configs with the external recipe in `train`, initFrom
 *                 the source run, and `trainedWith` (the trainer, device and the commands)
 *   checkpoint/   weights, the weight average and state.json; no optimizer state, so the
 *                 run itself does not resume (train --init-from it instead)
 *   metrics.jsonl the training curve from the log
 * The folder is built beside its destination and renamed into place.
 * Used by: scripts/import-torch-run.ts, tests.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { validateTrainConfig, type TrainConfig } from '../../core/train/config';
import { decodeWeights, type NamedArray, type WeightsManifest } from '../../core/model/weights-format';
import type { MetricPoint } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { readRunConfig, writeRunConfig, type RunConfigFile, type TrainedWith } from './store';

export interface ExternalRunOptions {
  /** The run whose weight average (or weights) the external training started from. */
  sourceDir: string;
  /** Files of the external run: <name>-weights.bin, <name>-ema.bin, <name>-log.jsonl. */
  filesDir: string;
  name: string;
  /** The run folder to create (must not exist). */
  runDir: string;
  commands: string[];
}

interface LogEvent {
  event: string;
  [key: string]: unknown;
}

const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StudioError('BAD_FILE', `the training log's ${what} is not a finite number`);
  return v;
};

/** Parses the JSON-lines log; the events the import needs must be there. */
export function parseTrainLog(text: string): LogEvent[] {
  const events: LogEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StudioError('BAD_FILE', `training log line ${i + 1} is not JSON`);
    }
    if (typeof value !== 'object' || value === null || typeof (value as LogEvent).event !== 'string') throw new StudioError('BAD_FILE', `training log line ${i + 1} has no event`);
    events.push(value as LogEvent);
  });
  for (const needed of ['start', 'done']) {
    if (!events.some((e) => e.event === needed)) throw new StudioError('BAD_FILE', `the training log has no "${needed}" event (the run did not finish)`);
  }
  return events;
}

/** The training curve: a point per logged step, with the validation losses at their steps. */
export function logMetrics(events: readonly LogEvent[]): MetricPoint[] {
  const points = new Map<number, MetricPoint>();
  let wall = 0;
  for (const e of events) {
    if (e.event === 'step') {
      wall = num(e.wall_s, 'wall time');
      const step = num(e.step, 'step');
      points.set(step, { ...points.get(step), step, trainLoss: num(e.loss, 'loss'), lr: num(e.lr, 'learning rate'), tokensPerSec: num(e.tokens_per_s, 'token rate'), wallSec: wall });
    } else if (e.event === 'val' && num(e.step, 'step') > 0) {
      const step = num(e.step, 'step');
      points.set(step, { wallSec: wall, ...points.get(step), step, valLoss: num(e.val_loss, 'validation loss'), emaValLoss: num(e.ema_val_loss, 'validation loss') });
    }
  }
  return [...points.values()].sort((a, b) => a.step - b.step);
}

/** The studio train config that describes the external recipe (the rest from the source run). */
export function externalTrainConfig(start: LogEvent, steps: number, base: TrainConfig): TrainConfig {
  const batch = num(start.batch, 'batch');
  const optional = (key: string, fallback: number): number => (start[key] === undefined ? fallback : num(start[key], key));
  return validateTrainConfig({
    steps,
    batchSize: batch,
    microBatch: batch,
    learningRate: num(start.lr, 'learning rate'),
    warmupSteps: num(start.warmup, 'warm-up'),
    classDropout: num(start.class_dropout, 'class dropout'),
    emaDecay: num(start.ema, 'average decay'),
    minLearningRateRatio: optional('min_lr_ratio', base.minLearningRateRatio),
    weightDecay: optional('weight_decay', base.weightDecay),
    beta1: optional('beta1', base.beta1),
    beta2: optional('beta2', base.beta2),
    epsilon: optional('eps', base.epsilon),
    gradClip: optional('grad_clip', base.gradClip),
    seed: optional('seed', base.seed),
  }, base);
}

/** Reads a float32 file laid out as `like` (same names, shapes and order). */
async function readLike(path: string, like: readonly NamedArray[]): Promise<NamedArray[]> {
  const bytes = new Uint8Array(await fs.readFile(path).catch(() => {
    throw new StudioError('NOT_FOUND', `${path} is missing`);
  }));
  const manifest: WeightsManifest = [{ paths: [basename(path)], weights: like.map((a) => ({ name: a.name, shape: [...a.shape], dtype: 'float32' as const })) }];
  let arrays: NamedArray[];
  try {
    arrays = decodeWeights(manifest, bytes);
  } catch (e) {
    throw new StudioError('BAD_FILE', `${path} does not hold the source model's weights: ${(e as Error).message}`);
  }
  for (const a of arrays) {
    if (!a.data.every(Number.isFinite)) throw new StudioError('BAD_FILE', `${path}: "${a.name}" holds NaN or infinite values`);
  }
  return arrays;
}

export async function importExternalRun(options: ExternalRunOptions): Promise<{ runDir: string; step: number; points: number }> {
  // absolute, as train --init-from records them, so the source chain reads from anywhere
  const o = { ...options, sourceDir: resolve(options.sourceDir), filesDir: resolve(options.filesDir), runDir: resolve(options.runDir) };
  if (await fs.stat(o.runDir).then(() => true, () => false)) throw new StudioError('BAD_REQUEST', `${o.runDir} already exists`);
  const source = await loadCheckpoint(o.sourceDir, { optimizer: false });
  if (!source) throw new StudioError('NOT_FOUND', `${o.sourceDir} has no checkpoint`);
  const sourceConfig = await readRunConfig(o.sourceDir);
  if (!sourceConfig) throw new StudioError('NOT_FOUND', `${o.sourceDir} has no config.json`);
  const events = parseTrainLog(await fs.readFile(join(o.filesDir, `${o.name}-log.jsonl`), 'utf8').catch((e: Error) => {
    throw new StudioError('NOT_FOUND', `cannot read the training log: ${e.message}`);
  }));
  // a log written over by a second run: the last run counts
  const run = events.slice(events.map((e) => e.event).lastIndexOf('start'));
  const start = run[0];
  const done = run.find((e) => e.event === 'done');
  if (!done) throw new StudioError('BAD_FILE', 'the training log\'s last run has no "done" event (it did not finish)');
  const steps = num(done.steps, 'step count');
  const trained = start.tokenizer as Record<string, unknown> | undefined; // logged since the log records it
  const wanted = source.state.tokenizer as unknown as Record<string, unknown>;
  if (trained && ['wavelet', 'finalExponent', 'variant'].some((k) => trained[k] !== wanted[k])) {
    throw new StudioError('BAD_FILE', `the run trained on sentences of ${JSON.stringify(trained)}, the source model speaks ${JSON.stringify(wanted)}`);
  }
  const like = source.ema.length > 0 ? source.ema : source.weights;
  const weights = await readLike(join(o.filesDir, `${o.name}-weights.bin`), like);
  const ema = await readLike(join(o.filesDir, `${o.name}-ema.bin`), like);
  const train = externalTrainConfig(start, steps, source.state.train);
  const { checksums: _c, schemaVersion: _v, savedAt: _t, emaUpdates: _e, ...kept } = source.state;
  const state = { ...kept, step: steps, wallSec: num(done.train_s, 'training time'), optimizerUpdates: steps, train };
  const trainedWith: TrainedWith = {
    trainer: 'scripts/torch-train.py',
    ...(typeof start.gpu === 'string' ? { device: start.gpu } : {}),
    ...(typeof start.torch === 'string' ? { versions: { torch: start.torch } } : {}),
    commands: [...o.commands],
  };
  const config: RunConfigFile = {
    ...sourceConfig,
    runId: basename(o.runDir),
    train,
    createdAt: Date.now(),
    initFrom: { path: o.sourceDir, step: source.state.step, tokenizer: source.state.tokenizer },
    trainedWith,
  };
  delete config.sampling;
  const points = logMetrics(run);
  const staging = join(dirname(o.runDir), `.${basename(o.runDir)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(staging, { recursive: true });
    await saveCheckpoint(staging, state, weights, null, { updates: steps, arrays: ema });
    await writeRunConfig(staging, config);
    await fs.writeFile(join(staging, 'metrics.jsonl'), points.map((p) => `${JSON.stringify(p)}\n`).join(''));
    await fs.rename(staging, o.runDir);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err instanceof StudioError ? err : new StudioError('INTERNAL', `cannot write ${o.runDir}: ${(err as Error).message}`);
  }
  return { runDir: o.runDir, step: steps, points: points.length };
}
