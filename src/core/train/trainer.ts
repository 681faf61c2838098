/**
 * The training loop. It knows no model and no UI: it gets a task (variables, a loss of a
 * batch, where batches come from), a config, a starting point, and hooks; it reports through
 * typed events and asks the caller to persist checkpoints. Features: AdamW, warm-up + cosine
 * schedule, gradient clipping, micro-batches with gradient accumulation, a NaN/Inf guard
 * (stops before the bad update, so the last saved checkpoint stays the last good one),
 * pause (pauseGate), cancel (signal: a final checkpoint, then return), and an optional
 * moving average of the weights (emaDecay; see ema.ts) checkpointed and validated beside them.
 * Used by: worker/jobs/train.ts, cli train, tests.
 */
import * as tf from '@tensorflow/tfjs';
import { createPrng, prngFromState, type Prng, type PrngState } from '../model/prng';
import type { NamedArray } from '../model/weights-format';
import { nowMs, yieldToEventLoop, type CancelSignal } from '../model/runtime';
import { createAdamW, type TrainableVariable } from './adamw';
import { createWeightAverage, type WeightAverage } from './ema';
import type { TrainConfig } from './config';
import { learningRateAt } from './schedule';

export interface TrainTask<Batch> {
  variables: readonly TrainableVariable[];
  /** Mean loss over the batch's tokens (a scalar inside the caller's gradient scope). */
  loss(batch: Batch): tf.Scalar;
  tokens(batch: Batch): number;
  /** The micro-batches of one optimizer step, drawn with rng. */
  nextStep(rng: Prng): Batch[];
  validation(): Batch[];
}

/** What a checkpoint needs from the trainer. */
export interface TrainerSnapshot {
  step: number;
  rng: PrngState;
  wallSec: number;
  optimizer: { updates: number; arrays: NamedArray[] };
  /** The weight average, when emaDecay > 0. */
  ema?: { updates: number; arrays: NamedArray[] };
}

export interface TrainStart {
  step: number;
  rng?: PrngState;
  wallSec?: number;
  optimizer?: { updates: number; arrays: readonly NamedArray[] };
  /** A saved weight average; without one (and emaDecay > 0) the average starts at the current weights. */
  ema?: { updates: number; arrays: readonly NamedArray[] };
}

export type TrainEvent =
  | { type: 'step'; step: number; totalSteps: number; loss: number; lr: number; gradNorm: number; tokensPerSec: number; etaSec: number }
  | { type: 'metrics'; step: number; trainLoss: number; valLoss?: number; emaValLoss?: number; lr: number; tokensPerSec: number; wallSec: number }
  | { type: 'checkpoint'; step: number };

export interface TrainHooks {
  onEvent?(event: TrainEvent): void;
  signal?: CancelSignal;
  pauseGate?(): Promise<void>;
  saveCheckpoint(snapshot: TrainerSnapshot): Promise<void>;
  /** Called every galleryEvery steps (after the update; with the weight average in the variables when there is one). */
  gallery?(step: number): Promise<void>;
}

export type TrainOutcome = { reason: 'completed' | 'cancelled'; step: number; lastLoss: number };

/** Raised for a non-finite loss or gradient; the update is not applied. */
export class NonFiniteLossError extends Error {
  readonly code = 'NAN_LOSS';
  readonly step: number;
  constructor(step: number, what: string) {
    super(`training stopped at step ${step}: the ${what} is not finite; the last checkpoint holds the last good weights`);
    this.name = 'NonFiniteLossError';
    this.step = step;
  }
}

interface StepResult {
  loss: number;
  gradNorm: number;
  tokens: number;
}

/** Sums the micro-batches' gradients (each loss weighted by its share of the tokens). */
function accumulate<B>(task: TrainTask<B>, micro: B[]): { grads: Record<string, tf.Tensor>; loss: number; tokens: number } {
  const vars = task.variables.map((v) => v.variable);
  const total = micro.reduce((n, b) => n + task.tokens(b), 0);
  const sums: Record<string, tf.Tensor> = {};
  let loss = 0;
  for (const batch of micro) {
    const share = total > 0 ? task.tokens(batch) / total : 0;
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => task.loss(batch).mul(share)) as tf.Scalar, vars);
    loss += value.dataSync()[0];
    value.dispose();
    task.variables.forEach((p) => {
      const g = grads[p.variable.name];
      const prev = sums[p.name];
      sums[p.name] = prev ? tf.tidy(() => prev.add(g)) : g;
      if (prev) {
        prev.dispose();
        g.dispose();
      }
    });
  }
  return { grads: sums, loss, tokens: total };
}

function optimizerStep<B>(task: TrainTask<B>, optimizer: ReturnType<typeof createAdamW>, micro: B[], lr: number, config: TrainConfig, step: number): StepResult {
  const { grads, loss, tokens } = accumulate(task, micro);
  try {
    const norm = Math.sqrt(tf.tidy(() => tf.addN(Object.values(grads).map((g) => g.square().sum())).dataSync()[0]));
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(step, 'loss');
    if (!Number.isFinite(norm)) throw new NonFiniteLossError(step, 'gradient norm');
    const scale = config.gradClip > 0 && norm > config.gradClip ? config.gradClip / norm : 1;
    const scaled = scale === 1 ? grads : tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(scale)])));
    optimizer.apply(scaled, lr);
    if (scaled !== grads) tf.dispose(Object.values(scaled));
    return { loss, gradNorm: norm, tokens };
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/** Token-weighted mean loss over the validation batches (no gradients). */
export function validationLoss<B>(task: TrainTask<B>): number {
  let sum = 0;
  let count = 0;
  for (const batch of task.validation()) {
    const n = task.tokens(batch);
    const value = tf.tidy(() => task.loss(batch).dataSync()[0]);
    sum += value * n;
    count += n;
  }
  return count > 0 ? sum / count : NaN;
}


export async function train<B>(task: TrainTask<B>, config: TrainConfig, start: TrainStart, hooks: TrainHooks): Promise<TrainOutcome> {
  const optimizer = createAdamW(task.variables, config);
  const rng = start.rng ? prngFromState(start.rng) : createPrng(config.seed);
  const ema: WeightAverage | undefined = config.emaDecay > 0 ? createWeightAverage(task.variables, config.emaDecay) : undefined;
  let step = start.step;
  let wallSec = start.wallSec ?? 0;
  let lastLoss = NaN;
  let stepSecAvg = 0;
  let tokensPerSec = 0;
  const snapshot = (): TrainerSnapshot => ({ step, rng: rng.state(), wallSec, optimizer: optimizer.exportState(), ...(ema ? { ema: ema.exportState() } : {}) });
  const checkpoint = async (): Promise<void> => {
    await hooks.saveCheckpoint(snapshot());
    hooks.onEvent?.({ type: 'checkpoint', step });
  };
  try {
    if (start.optimizer) optimizer.importState(start.optimizer);
    if (ema && start.ema) ema.importState(start.ema);
    while (step < config.steps) {
      if (hooks.pauseGate) await hooks.pauseGate();
      if (hooks.signal?.aborted) {
        await checkpoint();
        return { reason: 'cancelled', step, lastLoss };
      }
      const t0 = nowMs();
      const lr = learningRateAt(step, config);
      const result = optimizerStep(task, optimizer, task.nextStep(rng), lr, config, step);
      ema?.update();
      step += 1;
      lastLoss = result.loss;
      const sec = (nowMs() - t0) / 1000;
      wallSec += sec;
      stepSecAvg = stepSecAvg === 0 ? sec : 0.9 * stepSecAvg + 0.1 * sec;
      tokensPerSec = result.tokens / Math.max(sec, 1e-9);
      hooks.onEvent?.({ type: 'step', step, totalSteps: config.steps, loss: result.loss, lr, gradNorm: result.gradNorm, tokensPerSec, etaSec: stepSecAvg * (config.steps - step) });
      const evalNow = config.evalEvery > 0 && (step % config.evalEvery === 0 || step === config.steps);
      if (step % config.metricsEvery === 0 || evalNow) {
        const valLoss = evalNow ? validationLoss(task) : undefined;
        const emaValLoss = evalNow && ema ? await ema.withAverage(() => validationLoss(task)) : undefined;
        hooks.onEvent?.({ type: 'metrics', step, trainLoss: result.loss, valLoss, ...(emaValLoss !== undefined ? { emaValLoss } : {}), lr, tokensPerSec, wallSec });
      }
      if (step % config.checkpointEvery === 0 || step === config.steps) await checkpoint();
      if (hooks.gallery && config.galleryEvery > 0 && step % config.galleryEvery === 0) {
        const gallery = hooks.gallery;
        await (ema ? ema.withAverage(() => gallery(step)) : gallery(step));
      }
      await yieldToEventLoop();
    }
    return { reason: 'completed', step, lastLoss };
  } finally {
    optimizer.dispose();
    ema?.dispose();
  }
}
