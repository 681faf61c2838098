/**
 * Training configuration: DEFAULT_TRAIN_CONFIG and a validator that rejects unknown keys.
 * Presets (resources/presets/*.json) override these per model size.
 * Used by: core/train/trainer.ts, worker/jobs/train.ts, cli train, node/runs.
 */

export interface TrainConfig {
  /** Optimizer steps in total (a resumed run continues up to this). */
  steps: number;
  /** Sentences per optimizer step. */
  batchSize: number;
  /** Sentences per forward/backward pass; gradients are accumulated over batchSize / microBatch passes. */
  microBatch: number;
  learningRate: number;
  /** The cosine schedule decays to learningRate * minLearningRateRatio. */
  minLearningRateRatio: number;
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Global gradient-norm clip (0 = off). */
  gradClip: number;
  /**
   * Probability that a training sentence is fed without its class (0 = never). A model
   * trained with it (0.1 is usual) also knows the unconditional distribution, which
   * classifier-free guidance at sampling time contrasts with the class.
   */
  classDropout: number;
  /**
   * Decay of the exponential moving average of the weights (0 = off; 0.99-0.999 usual).
   * When on, checkpoints keep the average beside the trained weights, the validation loss
   * is also reported for it, and sampling, evaluation, packaging and --init-from use it.
   */
  emaDecay: number;
  /** Validation loss every N steps (0 = never). */
  evalEvery: number;
  /** Sentences of the validation split used for the validation loss. */
  valSentences: number;
  /** Metrics line every N steps. */
  metricsEvery: number;
  checkpointEvery: number;
  /** Gallery samples every N steps (0 = never). */
  galleryEvery: number;
  /** Samples per gallery. */
  gallerySize: number;
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  steps: 10000,
  batchSize: 16,
  microBatch: 8,
  learningRate: 4e-4,
  minLearningRateRatio: 0.1,
  warmupSteps: 200,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.95,
  epsilon: 1e-8,
  gradClip: 1,
  classDropout: 0,
  emaDecay: 0,
  evalEvery: 250,
  valSentences: 256,
  metricsEvery: 10,
  checkpointEvery: 250,
  galleryEvery: 1000,
  gallerySize: 10,
  seed: 0,
});

const INTEGER_KEYS: (keyof TrainConfig)[] = ['steps', 'batchSize', 'microBatch', 'warmupSteps', 'evalEvery', 'valSentences', 'metricsEvery', 'checkpointEvery', 'galleryEvery', 'gallerySize', 'seed'];

export function validateTrainConfig(overrides: Readonly<Record<string, unknown>>, base: Readonly<TrainConfig> = DEFAULT_TRAIN_CONFIG): TrainConfig {
  const config: TrainConfig = { ...base };
  const target = config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(base, key)) throw new Error(`unknown train config key "${key}"`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`train config "${key}" must be a finite number, got ${JSON.stringify(value)}`);
    target[key] = value;
  }
  for (const key of INTEGER_KEYS) {
    if (!Number.isInteger(config[key]) || config[key] < 0) throw new Error(`train config "${key}" must be a non-negative integer, got ${config[key]}`);
  }
  if (config.steps < 1 || config.batchSize < 1 || config.microBatch < 1 || config.metricsEvery < 1 || config.checkpointEvery < 1) {
    throw new Error('train config: steps, batchSize, microBatch, metricsEvery and checkpointEvery must be at least 1');
  }
  if (!(config.learningRate > 0 && config.learningRate < 1)) throw new Error(`train config "learningRate" must be in (0, 1), got ${config.learningRate}`);
  if (!(config.minLearningRateRatio >= 0 && config.minLearningRateRatio <= 1)) throw new Error(`train config "minLearningRateRatio" must be in [0, 1], got ${config.minLearningRateRatio}`);
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) throw new Error(`train config "${key}" must be in [0, 1), got ${config[key]}`);
  }
  if (!(config.classDropout >= 0 && config.classDropout < 1)) throw new Error(`train config "classDropout" must be in [0, 1), got ${config.classDropout}`);
  if (!(config.emaDecay >= 0 && config.emaDecay < 1)) throw new Error(`train config "emaDecay" must be in [0, 1), got ${config.emaDecay}`);
  if (config.weightDecay < 0 || config.epsilon <= 0 || config.gradClip < 0) throw new Error('train config: weightDecay and gradClip must be >= 0, epsilon > 0');
  return config;
}
