/**
 * AdamW (decoupled weight decay) over named variables, with its moments held as
 * variables created up front (so a training step leaves the tensor count unchanged) and
 * exportable as named arrays for checkpoints.
 * Used by: core/train/trainer.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../model/weights-format';

export interface TrainableVariable {
  name: string;
  variable: tf.Variable;
  decay: boolean;
}

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export interface AdamW {
  /** Applies one update with gradients already scaled (clipped); `lr` for this step. */
  apply(grads: Record<string, tf.Tensor>, lr: number): void;
  /** Number of updates applied so far. */
  readonly updates: number;
  exportState(): { updates: number; arrays: NamedArray[] };
  importState(state: { updates: number; arrays: readonly NamedArray[] }): void;
  dispose(): void;
}

export function createAdamW(params: readonly TrainableVariable[], settings: AdamWSettings): AdamW {
  const zeros = (like: tf.Variable): tf.Variable => {
    const init = tf.zerosLike(like);
    const variable = tf.variable(init, false);
    init.dispose();
    return variable;
  };
  const moments = params.map((p) => ({ param: p, m: zeros(p.variable), v: zeros(p.variable) }));
  let updates = 0;
  const { beta1, beta2, epsilon, weightDecay } = settings;
  return {
    get updates() {
      return updates;
    },
    apply(grads, lr) {
      updates += 1;
      const c1 = 1 - beta1 ** updates;
      const c2 = 1 - beta2 ** updates;
      for (const { param, m, v } of moments) {
        const g = grads[param.name];
        if (!g) throw new Error(`no gradient for "${param.name}"`);
        tf.tidy(() => {
          m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
          v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
          let step = m.div(c1).div(v.div(c2).sqrt().add(epsilon));
          if (param.decay && weightDecay > 0) step = step.add(param.variable.mul(weightDecay));
          param.variable.assign(param.variable.sub(step.mul(lr)));
        });
      }
    },
    exportState() {
      const arrays: NamedArray[] = [];
      for (const { param, m, v } of moments) {
        arrays.push({ name: `${param.name}/m`, shape: [...m.shape], data: m.dataSync() as Float32Array });
        arrays.push({ name: `${param.name}/v`, shape: [...v.shape], data: v.dataSync() as Float32Array });
      }
      return { updates, arrays };
    },
    importState(state) {
      const byName = new Map(state.arrays.map((a) => [a.name, a]));
      for (const { param, m, v } of moments) {
        for (const [suffix, target] of [['m', m], ['v', v]] as const) {
          const a = byName.get(`${param.name}/${suffix}`);
          if (!a || a.data.length !== target.size) throw new Error(`optimizer state lacks "${param.name}/${suffix}" of ${target.size} values`);
          tf.tidy(() => target.assign(tf.tensor(a.data, target.shape)));
        }
      }
      updates = state.updates;
    },
    dispose() {
      for (const { m, v } of moments) {
        m.dispose();
        v.dispose();
      }
    },
  };
}
