/**
 * The judge: its training forward pass (patches x matrix, for wasm) equals the layers
 * model's own prediction; a few dozen steps on 200 synthetic images learn to tell
 * horizontal from vertical bars; inference returns features of the configured width and
 * leaks no tensors; the config validator refuses unknown keys.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convByPatches, judgeAccuracy, judgeTrainingForward, trainJudge, type LabelledImages } from '../../../src/core/eval/judge-train';
import { createJudge, judgeImages, validateJudgeConfig } from '../../../src/core/eval/judge';
import { createRandom } from '../../../src/core/eval/random';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** Class 0: a horizontal bar, class 1: a vertical bar, at random places, with noise. */
function bars(count: number, seed: number): LabelledImages {
  const random = createRandom(seed);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    const at = 4 + Math.floor(random() * 20);
    for (let p = 0; p < 784; p++) {
      const [r, c] = [Math.floor(p / 28), p % 28];
      const on = labels[i] === 0 ? Math.abs(r - at) <= 1 : Math.abs(c - at) <= 1;
      pixels[i * 784 + p] = on ? 200 + Math.floor(random() * 55) : Math.floor(random() * 40);
    }
  }
  return { count, size: 28, pixels, labels };
}

describe('judge', () => {
  it('convByPatches equals tf.conv2d', () => {
    const [a, b] = tf.tidy(() => {
      const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const k = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
      return [convByPatches(x, k).arraySync(), tf.conv2d(x, k, 1, 'valid').arraySync()];
    });
    expect(tf.tensor(a).shape).toEqual([2, 7, 6, 5]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-4);
  });

  it('training forward pass equals the model prediction', () => {
    const judge = createJudge(validateJudgeConfig({ seed: 3 }));
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(judgeTrainingForward(judge, x), judge.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    x.dispose();
    judge.dispose();
  });

  it('learns bars in a few steps, embeds with featureDim columns, and leaks no tensors', async () => {
    const judge = createJudge(validateJudgeConfig({ classes: 2, featureDim: 16, seed: 1 }));
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    await trainJudge(judge, bars(200, 1), {
      epochs: 3, batchSize: 20, learningRate: 3e-3, seed: 1,
      onEvent: (e) => { if (e.type === 'step') losses.push(e.loss); },
    });
    const test = bars(100, 2);
    expect(await judgeAccuracy(judge, test)).toBeGreaterThan(0.9);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const out = await judgeImages(judge, test, 32);
    expect(out.featureDim).toBe(16);
    expect(out.features.length).toBe(100 * 16);
    expect(tf.memory().numTensors).toBe(before);
    judge.dispose();
  });

  it('refuses unknown or out-of-range config values', () => {
    expect(() => validateJudgeConfig({ filters: 3 })).toThrow(/unknown judge config key "filters"/);
    expect(() => validateJudgeConfig({ featureDim: 1 })).toThrow(/featureDim/);
    expect(validateJudgeConfig({ seed: 9 }).seed).toBe(9);
  });
});
