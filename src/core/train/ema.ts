/**
 * An exponential moving average of the trained weights, kept beside them as variables
 * created up front (an update leaves the tensor count unchanged). After each optimizer
 * step: ema = d * ema + (1 - d) * w, with d = min(decay, (1 + n) / (10 + n)) for the
 * n-th update, so the first updates follow the weights closely instead of remembering the
 * starting point for thousands of steps. The average, not the last step's weights, is what
 * a run with `train.emaDecay > 0` samples and packages: it smooths the noise of small
 * batches at no training cost.
 * Used by: core/train/trainer.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../model/weights-format';
import type { TrainableVariable } from './adamw';

export interface WeightAverage {
  /** Folds the variables' current values into the average. */
  update(): void;
  readonly updates: number;
  /** Runs fn with the averaged weights in the variables, then puts the trained weights back. */
  withAverage<T>(fn: () => T | Promise<T>): Promise<T>;
  exportState(): { updates: number; arrays: NamedArray[] };
  importState(state: { updates: number; arrays: readonly NamedArray[] }): void;
  dispose(): void;
}

/** The decay used for the n-th update (n counts from 1). */
export function averageDecayAt(updates: number, decay: number): number {
  return Math.min(decay, (1 + updates) / (10 + updates));
}

/** The average starts at the variables' current values. */
export function createWeightAverage(params: readonly TrainableVariable[], decay: number): WeightAverage {
  if (!(decay > 0 && decay < 1)) throw new Error(`EMA decay must be in (0, 1), got ${decay}`);
  const shadows = params.map((p) => {
    const init = tf.clone(p.variable);
    const shadow = tf.variable(init, false);
    init.dispose();
    return { param: p, shadow };
  });
  let updates = 0;
  return {
    get updates() {
      return updates;
    },
    update() {
      updates += 1;
      const d = averageDecayAt(updates, decay);
      for (const { param, shadow } of shadows) {
        tf.tidy(() => shadow.assign(shadow.mul(d).add(param.variable.mul(1 - d))));
      }
    },
    async withAverage(fn) {
      const trained = shadows.map(({ param }) => tf.clone(param.variable));
      try {
        for (const { param, shadow } of shadows) param.variable.assign(shadow);
        return await fn();
      } finally {
        shadows.forEach(({ param }, i) => param.variable.assign(trained[i]));
        tf.dispose(trained);
      }
    },
    exportState() {
      return { updates, arrays: shadows.map(({ param, shadow }) => ({ name: param.name, shape: [...shadow.shape], data: shadow.dataSync() as Float32Array })) };
    },
    importState(state) {
      const byName = new Map(state.arrays.map((a) => [a.name, a]));
      for (const { param, shadow } of shadows) {
        const a = byName.get(param.name);
        if (!a || a.data.length !== shadow.size) throw new Error(`EMA state lacks "${param.name}" of ${shadow.size} values`);
        tf.tidy(() => shadow.assign(tf.tensor(a.data, shadow.shape)));
      }
      updates = state.updates;
    },
    dispose() {
      for (const { shadow } of shadows) shadow.dispose();
    },
  };
}
