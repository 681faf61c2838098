/**
 * Reading and writing a model's variables as named arrays (see weights-format.ts).
 * Used by: node/runs (checkpoints), worker jobs, tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from './weights-format';

export interface HasNamedVariables {
  variables: { name: string; variable: tf.Variable }[];
}

/** Copies every variable out (synchronously; small models only cross here). */
export function readVariables(model: HasNamedVariables): NamedArray[] {
  return model.variables.map(({ name, variable }) => ({ name, shape: [...variable.shape], data: variable.dataSync() as Float32Array }));
}

/** Assigns every variable from arrays; every name must be present with the same shape. */
export function assignVariables(model: HasNamedVariables, arrays: readonly NamedArray[]): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const { name, variable } of model.variables) {
    const a = byName.get(name);
    if (!a) throw new Error(`weights have no tensor named "${name}"`);
    if (a.shape.length !== variable.shape.length || a.shape.some((d, i) => d !== variable.shape[i])) {
      throw new Error(`weight "${name}" has shape [${a.shape}], the model expects [${variable.shape}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(a.data, a.shape)));
  }
}
