/**
 * Configuration of the wavelet-language transformer: DEFAULT_MODEL_CONFIG, a validator
 * that rejects unknown keys and impossible shapes, and the resolution of overrides.
 * Presets live as data in resources/presets/*.json (loaded by node, not here).
 * Used by: core/model/gpt.ts, core/model/features.ts, node/runs, cli bench, worker jobs.
 */

export interface ModelConfig {
  layers: number;
  width: number;
  heads: number;
  /** Longest sentence (in tokens) the model attends over. */
  context: number;
  /** Hidden width of the MLP as a multiple of `width`. */
  mlpRatio: number;
  /** Size of the class one-hot (the condition). */
  numClasses: number;
  /** Start exponents log2 T0 in [exponentMin, exponentMin + exponentCount) get a one-hot; others clamp. */
  exponentMin: number;
  exponentCount: number;
  /** Bit-planes 0..maxPlanes-1 get a one-hot; later planes clamp to the last. */
  maxPlanes: number;
  /** Wavelet levels 0..maxLevels get a one-hot (0 is LL). */
  maxLevels: number;
  /** Sinusoid pairs per axis for the position inside a subband. */
  positionFrequencies: number;
  /** Feed the next slot's position and kind too (false = exactly the paper's inputs). */
  nextSlotFeatures: boolean;
  /** Standard deviation of the initial weights. */
  initStd: number;
  /** Seed of the weight initialisation. */
  seed: number;
}

export const DEFAULT_MODEL_CONFIG: Readonly<ModelConfig> = Object.freeze({
  layers: 4,
  width: 128,
  heads: 4,
  context: 1024,
  mlpRatio: 4,
  numClasses: 10,
  exponentMin: -8,
  exponentCount: 16,
  maxPlanes: 16,
  maxLevels: 8,
  positionFrequencies: 4,
  nextSlotFeatures: true,
  initStd: 0.02,
  seed: 0,
});

const INTEGER_RANGES: Partial<Record<keyof ModelConfig, [number, number]>> = {
  layers: [1, 48],
  width: [8, 4096],
  heads: [1, 64],
  context: [2, 65536],
  mlpRatio: [1, 16],
  numClasses: [1, 1000],
  exponentMin: [-64, 64],
  exponentCount: [1, 128],
  maxPlanes: [1, 64],
  maxLevels: [1, 16],
  positionFrequencies: [0, 16],
  seed: [0, 2 ** 32 - 1],
};

/** Merges overrides into the defaults (a fresh object) and validates; throws a clear Error. */
export function validateModelConfig(overrides: Readonly<Record<string, unknown>>, base: Readonly<ModelConfig> = DEFAULT_MODEL_CONFIG): ModelConfig {
  const config: ModelConfig = { ...base };
  const target = config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(base, key)) throw new Error(`unknown model config key "${key}"`);
    const expected = typeof (base as unknown as Record<string, unknown>)[key];
    if (typeof value !== expected) throw new Error(`model config "${key}" must be a ${expected}, got ${JSON.stringify(value)}`);
    target[key] = value;
  }
  for (const [key, [lo, hi]] of Object.entries(INTEGER_RANGES) as [keyof ModelConfig, [number, number]][]) {
    const v = config[key] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`model config "${key}" must be an integer in [${lo}, ${hi}], got ${v}`);
  }
  if (config.width % config.heads !== 0) throw new Error(`model width ${config.width} is not divisible by heads ${config.heads}`);
  if (!(config.initStd > 0 && config.initStd < 1)) throw new Error(`model config "initStd" must be in (0, 1), got ${config.initStd}`);
  return config;
}
