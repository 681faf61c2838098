/**
 * The judge: a small convolutional classifier per built-in dataset, used to score
 * generated images (class consistency) and to embed them (its penultimate "features"
 * layer feeds FID). createJudge builds a fresh, seeded network; judgeImages runs it.
 * Used by: core/eval/judge-train.ts, node/eval (judge store, eval runner), cli judge.
 */
import * as tf from '@tensorflow/tfjs';

export interface JudgeConfig {
  /** Input side in pixels (square, one channel). */
  size: number;
  classes: number;
  conv1Filters: number;
  conv2Filters: number;
  /** Width of the penultimate layer whose activations are the FID features. */
  featureDim: number;
  seed: number;
}

export const DEFAULT_JUDGE_CONFIG: Readonly<JudgeConfig> = Object.freeze({
  size: 28,
  classes: 10,
  conv1Filters: 8,
  conv2Filters: 32,
  featureDim: 128,
  seed: 0,
});

/** Name of the feature layer, stable across saves so a loaded judge can be embedded too. */
export const FEATURE_LAYER = 'features';

const LIMITS: Record<keyof JudgeConfig, [number, number]> = {
  size: [12, 256],
  classes: [2, 1000],
  conv1Filters: [1, 256],
  conv2Filters: [1, 256],
  featureDim: [2, 1024],
  seed: [0, 2 ** 32 - 1],
};

/** Defaults merged with `overrides`; unknown keys and out-of-range values are rejected. */
export function validateJudgeConfig(overrides: Record<string, unknown> = {}): JudgeConfig {
  const config: JudgeConfig = { ...DEFAULT_JUDGE_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in LIMITS)) throw new Error(`unknown judge config key "${key}"`);
    const [lo, hi] = LIMITS[key as keyof JudgeConfig];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
      throw new Error(`judge config "${key}" must be an integer in [${lo}, ${hi}], got ${String(value)}`);
    }
    config[key as keyof JudgeConfig] = value;
  }
  return config;
}

/**
 * Builds conv5x5 -> pool -> conv3x3 -> pool -> dense(features) -> dense(softmax).
 * Pooling after each convolution keeps training to a few minutes on two CPU cores
 * and the weights well under 1 MB; the accuracy stays near the usual ~99% on MNIST.
 * Input [B, size, size, 1] in [0, 1]; output [B, classes] probabilities.
 */
export function createJudge(config: JudgeConfig): tf.Sequential {
  const init = (offset: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: config.seed + offset });
  const model = tf.sequential({ name: 'judge' });
  model.add(tf.layers.conv2d({
    inputShape: [config.size, config.size, 1], filters: config.conv1Filters, kernelSize: 5,
    activation: 'relu', kernelInitializer: init(1), name: 'conv1',
  })); // [B, s-4, s-4, c1]
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' })); // [B, (s-4)/2, ., c1]
  model.add(tf.layers.conv2d({
    filters: config.conv2Filters, kernelSize: 3, activation: 'relu', kernelInitializer: init(2), name: 'conv2',
  })); // [B, (s-4)/2-2, ., c2]
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' })); // [B, 5, 5, c2] for s=28
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ units: config.featureDim, activation: 'relu', kernelInitializer: init(3), name: FEATURE_LAYER }));
  model.add(tf.layers.dense({ units: config.classes, activation: 'softmax', kernelInitializer: init(4), name: 'logits' }));
  return model;
}

/** Grayscale images, row-major, values in [0, 1] (Float32) or 0..255 (Uint8). */
export interface ImageSet {
  count: number;
  size: number;
  pixels: Float32Array | Uint8Array;
}

/** Slice [start, end) of an image set as a [B, size, size, 1] float tensor in [0, 1]. */
export function imageBatch(images: ImageSet, start: number, end: number): tf.Tensor4D {
  const area = images.size * images.size;
  const raw = images.pixels.subarray(start * area, end * area);
  const values = new Float32Array(raw.length);
  const scale = images.pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let i = 0; i < raw.length; i++) values[i] = Math.min(1, Math.max(0, raw[i] * scale));
  return tf.tensor4d(values, [end - start, images.size, images.size, 1]);
}

export interface JudgeOutput {
  /** argmax class per image */
  predictions: Int32Array;
  /** [count, featureDim] row-major activations of the feature layer */
  features: Float32Array;
  featureDim: number;
}

/** Runs the judge on every image, in batches; classifies and embeds in one pass. */
export async function judgeImages(judge: tf.LayersModel, images: ImageSet, batchSize = 250): Promise<JudgeOutput> {
  const featureLayer = judge.getLayer(FEATURE_LAYER);
  const twoHeads = tf.model({ inputs: judge.inputs, outputs: [featureLayer.output as tf.SymbolicTensor, judge.outputs[0]] });
  const featureDim = (featureLayer.outputShape as number[])[1];
  const predictions = new Int32Array(images.count);
  const features = new Float32Array(images.count * featureDim);
  for (let start = 0; start < images.count; start += batchSize) {
    const end = Math.min(images.count, start + batchSize);
    const [feats, classes] = tf.tidy(() => {
      const [f, p] = twoHeads.predict(imageBatch(images, start, end)) as tf.Tensor[]; // [B, D], [B, K]
      return [f, tf.argMax(p, 1)];
    });
    features.set(await feats.data(), start * featureDim);
    predictions.set(await classes.data(), start);
    feats.dispose();
    classes.dispose();
  }
  return { predictions, features, featureDim };
}
