/**
 * The moving average of the weights: the warm-up decay, the update rule checked against
 * hand-computed values, withAverage swapping the average in and the trained weights back
 * (also when the callback throws), no tensor leak per update, and export / import.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { averageDecayAt, createWeightAverage } from '../../../src/core/train/ema';
import type { TrainableVariable } from '../../../src/core/train/adamw';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const param = (values: number[]): TrainableVariable => ({ name: 'w', variable: tf.variable(tf.tensor1d(values)), decay: true });
const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('weight average', () => {
  it('uses (1 + n) / (10 + n) until the configured decay is smaller', () => {
    expect(averageDecayAt(1, 0.999)).toBeCloseTo(2 / 11);
    expect(averageDecayAt(90, 0.999)).toBeCloseTo(91 / 100);
    expect(averageDecayAt(1000, 0.9)).toBe(0.9);
  });

  it('folds each update in with the decay of its step', async () => {
    const p = param([0, 10]);
    const ema = createWeightAverage([p], 0.5);
    p.variable.assign(tf.tensor1d([1, 20]));
    ema.update(); // d = min(0.5, 2/11) = 2/11
    let expected = [0, 10].map((e, i) => (2 / 11) * e + (9 / 11) * [1, 20][i]);
    expect(valuesOf((await ema.withAverage(() => tf.clone(p.variable))))).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    p.variable.assign(tf.tensor1d([3, 30]));
    ema.update(); // d = min(0.5, 3/12) = 0.25
    expected = expected.map((e, i) => 0.25 * e + 0.75 * [3, 30][i]);
    const state = ema.exportState();
    expect(state.updates).toBe(2);
    expect(Array.from(state.arrays[0].data)).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    expect(valuesOf(p.variable)).toEqual([3, 30]); // the trained weights are untouched
    ema.dispose();
    p.variable.dispose();
  });

  it('puts the trained weights back after withAverage, also when the callback throws', async () => {
    const p = param([1, 2]);
    const ema = createWeightAverage([p], 0.9);
    p.variable.assign(tf.tensor1d([5, 6]));
    const seen = await ema.withAverage(() => valuesOf(p.variable));
    expect(seen).toEqual([1, 2]); // no update yet: the average is the starting point
    expect(valuesOf(p.variable)).toEqual([5, 6]);
    await expect(ema.withAverage(() => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(valuesOf(p.variable)).toEqual([5, 6]);
    ema.dispose();
    p.variable.dispose();
  });

  it('leaves the tensor count unchanged per update and round-trips its state', async () => {
    const p = param([1, 2, 3]);
    const ema = createWeightAverage([p], 0.9);
    ema.update();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) ema.update();
    await ema.withAverage(() => undefined);
    expect(tf.memory().numTensors).toBe(count);
    const other = createWeightAverage([p], 0.9);
    other.importState(ema.exportState());
    expect(other.updates).toBe(4);
    expect(Array.from(other.exportState().arrays[0].data)).toEqual(Array.from(ema.exportState().arrays[0].data));
    expect(() => other.importState({ updates: 1, arrays: [{ name: 'other', shape: [3], data: new Float32Array(3) }] })).toThrow(/lacks "w"/);
    expect(() => createWeightAverage([p], 1)).toThrow(/decay/);
    ema.dispose();
    other.dispose();
    p.variable.dispose();
  });
});
