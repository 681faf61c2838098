/**
 * Tokenizer configuration: defaults, validation (unknown keys rejected) and the range checks
 * every entry point shares. Used by: encoder, decoder, steppers, CLI / node (presets).
 */
import type { CoderVariant, TokenizerConfig, WaveletName } from './types';

export const DEFAULT_TOKENIZER_CONFIG: Readonly<TokenizerConfig> = Object.freeze({
  wavelet: 'haar',
  finalExponent: -3,
  variant: 'blocks',
});

const WAVELETS: readonly WaveletName[] = ['haar', 'bior4.4', 'bior2.2'];
const VARIANTS: readonly CoderVariant[] = ['blocks', 'zerotree'];
/** Final exponents outside this range make no sense for images in [0, 1]. */
export const FINAL_EXPONENT_RANGE = [-24, 8] as const;
/** At most this many bit-planes per sentence (a bound that keeps bad input from hanging). */
export const MAX_PLANES = 40;

/** Validates a partial config over the defaults; throws RangeError naming the bad key. */
export function validateTokenizerConfig(input: unknown): TokenizerConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new RangeError('tokenizer config must be an object');
  const rec = input as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    if (!Object.hasOwn(DEFAULT_TOKENIZER_CONFIG, key)) throw new RangeError(`unknown tokenizer config key "${key}"`);
  }
  const out: TokenizerConfig = { ...DEFAULT_TOKENIZER_CONFIG, ...(rec as Partial<TokenizerConfig>) };
  assertTokenizerConfig(out);
  return out;
}

/** Cheap check of a full config (used at every entry point). */
export function assertTokenizerConfig(c: TokenizerConfig): void {
  if (!WAVELETS.includes(c.wavelet)) throw new RangeError(`wavelet must be one of ${WAVELETS.join(', ')}, got ${String(c.wavelet)}`);
  if (!VARIANTS.includes(c.variant)) throw new RangeError(`variant must be one of ${VARIANTS.join(', ')}, got ${String(c.variant)}`);
  const [lo, hi] = FINAL_EXPONENT_RANGE;
  if (!Number.isInteger(c.finalExponent) || c.finalExponent < lo || c.finalExponent > hi) {
    throw new RangeError(`finalExponent must be an integer in ${lo}..${hi}, got ${String(c.finalExponent)}`);
  }
}

/** Number of bit-planes T0 .. Tf inclusive. */
export function planeCount(startExponent: number, config: TokenizerConfig): number {
  return startExponent - config.finalExponent + 1;
}
