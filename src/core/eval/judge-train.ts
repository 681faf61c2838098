/**
 * Trains a judge (core/eval/judge.ts) on labelled images: seeded shuffling, Adam,
 * cross-entropy, progress through events, cancellable. Knows nothing of files.
 * Used by: cli judge (via node/eval/judge-store), tests (a tiny judge on a few images).
 */
import * as tf from '@tensorflow/tfjs';
import { imageBatch, judgeImages, type ImageSet } from './judge';
import { createRandom, shuffledIndices } from './random';

export interface JudgeTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Each epoch runs at learningRate * lrDecay^epoch with fresh Adam moments (default 1: constant). */
  lrDecay?: number;
  seed: number;
  /** Stop early after this many steps (tests); undefined runs every epoch to the end. */
  maxSteps?: number;
  onEvent?: (event: JudgeTrainEvent) => void;
  signal?: { readonly aborted: boolean };
  /** Lets the host's event loop run (core has no timers); called every 20 steps. */
  yieldToHost?: () => Promise<void>;
}

export type JudgeTrainEvent =
  | { type: 'step'; epoch: number; step: number; totalSteps: number; loss: number }
  | { type: 'epoch'; epoch: number; meanLoss: number };

export const DEFAULT_JUDGE_TRAIN: Readonly<Omit<JudgeTrainOptions, 'onEvent' | 'signal'>> = Object.freeze({
  epochs: 3,
  batchSize: 64,
  learningRate: 1e-3,
  lrDecay: 1,
  seed: 0,
});

export interface LabelledImages extends ImageSet {
  labels: Uint8Array | Uint16Array | Int32Array;
}

/** Gathers images `order[start..end)` into a fresh image set (the batch's pixels only). */
function gather(data: LabelledImages, order: Uint32Array, start: number, end: number): { images: ImageSet; labels: Int32Array } {
  const area = data.size * data.size;
  const pixels = new Float32Array((end - start) * area);
  const labels = new Int32Array(end - start);
  const scale = data.pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let b = 0; b < end - start; b++) {
    const i = order[start + b];
    for (let p = 0; p < area; p++) pixels[b * area + p] = data.pixels[i * area + p] * scale;
    labels[b] = data.labels[i];
  }
  return { images: { count: end - start, size: data.size, pixels }, labels };
}

/**
 * A 'valid' convolution as patches x matrix: the wasm backend has no kernel for the filter
 * gradient of conv2d. Patches come from a convolution with a fixed one-hot kernel (its input
 * gradient exists on wasm, and it was ~5x faster there than slicing + concat).
 * Patch channel (i*kw + j)*cin + c matches the row-major reshape of a [kh, kw, cin, cout]
 * kernel, so the trained weights stay an ordinary Conv2D layer's.
 * x [B, H, W, cin], kernel [kh, kw, cin, cout] -> [B, H-kh+1, W-kw+1, cout]
 */
export function convByPatches(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const [kh, kw, , cout] = kernel.shape;
  const oh = h - kh + 1;
  const ow = w - kw + 1;
  const k = kh * kw * cin;
  const eye = new Float32Array(k * k); // [kh, kw, cin, K]: one-hot picking tap (i, j, c)
  for (let t = 0; t < k; t++) eye[t * k + t] = 1;
  const patches = tf.conv2d(x, tf.tensor4d(eye, [kh, kw, cin, k]), 1, 'valid').reshape([b * oh * ow, k]); // [B*oh*ow, K]
  return tf.matMul(patches, kernel.reshape([kh * kw * cin, cout])).reshape([b, oh, ow, cout]);
}

function activate(x: tf.Tensor, activation: unknown): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'softmax') return tf.softmax(x);
  if (activation === 'linear' || activation === undefined) return x;
  throw new Error(`judge training: unsupported activation ${String(activation)}`);
}

/**
 * The judge's forward pass written with gradient-friendly ops on its own variables, for
 * training; inference uses the model itself (a test checks the two agree).
 * x [B, s, s, 1] -> [B, K] probabilities
 */
export function judgeTrainingForward(judge: tf.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  let h: tf.Tensor = x;
  for (const layer of judge.layers) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    const vars = layer.trainableWeights.map((v) => v.read());
    if (kind === 'Conv2D') h = activate(tf.add(convByPatches(h as tf.Tensor4D, vars[0] as tf.Tensor4D), vars[1]), config.activation);
    else if (kind === 'MaxPooling2D') h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    else if (kind === 'Flatten') h = h.reshape([h.shape[0], -1]);
    else if (kind === 'Dense') h = activate(tf.add(tf.matMul(h as tf.Tensor2D, vars[0] as tf.Tensor2D), vars[1]), config.activation);
    else throw new Error(`judge training: unsupported layer ${kind}`);
  }
  return h as tf.Tensor2D;
}

interface EpochState {
  step: number;
  totalSteps: number;
  classes: number;
  variables: tf.Variable[];
}

/** One pass over `order` with its own Adam; returns the epoch's mean loss. */
async function runEpoch(judge: tf.LayersModel, data: LabelledImages, order: Uint32Array, epoch: number, state: EpochState, options: JudgeTrainOptions): Promise<number> {
  const optimizer = tf.train.adam(options.learningRate * (options.lrDecay ?? 1) ** epoch);
  let sum = 0;
  let n = 0;
  try {
    for (let start = 0; start < data.count && state.step < state.totalSteps; start += options.batchSize) {
      if (options.signal?.aborted) throw new Error('judge training cancelled');
      const batch = gather(data, order, start, Math.min(data.count, start + options.batchSize));
      const lossTensor = optimizer.minimize(() => tf.tidy(() => {
        const x = imageBatch(batch.images, 0, batch.images.count); // [B, s, s, 1]
        const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), state.classes); // [B, K]
        const p = judgeTrainingForward(judge, x); // [B, K]
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tf.Scalar; // cross-entropy
      }), true, state.variables) as tf.Scalar;
      const loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      sum += loss;
      n++;
      state.step++;
      options.onEvent?.({ type: 'step', epoch, step: state.step, totalSteps: state.totalSteps, loss });
      if (state.step % 20 === 0) await options.yieldToHost?.();
    }
  } finally {
    optimizer.dispose();
  }
  return sum / Math.max(1, n);
}

/** Trains `judge` in place (it is the one object this function changes); returns the last mean loss. */
export async function trainJudge(judge: tf.LayersModel, data: LabelledImages, options: JudgeTrainOptions): Promise<number> {
  const state: EpochState = {
    step: 0,
    totalSteps: Math.min(options.maxSteps ?? Infinity, options.epochs * Math.ceil(data.count / options.batchSize)),
    classes: (judge.outputs[0].shape as number[])[1],
    variables: judge.trainableWeights.map((v) => v.read() as tf.Variable),
  };
  const random = createRandom(options.seed);
  let meanLoss = NaN;
  for (let epoch = 0; epoch < options.epochs && state.step < state.totalSteps; epoch++) {
    meanLoss = await runEpoch(judge, data, shuffledIndices(data.count, random), epoch, state, options);
    options.onEvent?.({ type: 'epoch', epoch, meanLoss });
  }
  return meanLoss;
}

/** Fraction of `data` the judge classifies correctly. */
export async function judgeAccuracy(judge: tf.LayersModel, data: LabelledImages): Promise<number> {
  const { predictions } = await judgeImages(judge, data);
  let right = 0;
  for (let i = 0; i < data.count; i++) if (predictions[i] === data.labels[i]) right++;
  return right / Math.max(1, data.count);
}
