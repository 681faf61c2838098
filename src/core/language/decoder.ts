/**
 * The decoder side: sentence (or any prefix) -> coefficients -> pixels, the validator and
 * PSNR. Used by: the sampler's previews, the renderer, evaluation, tests.
 */
import { inverseDwt2 } from '../wavelet/dwt';
import type { WaveletName } from '../wavelet/filters';
import { assertGeometry } from './geometry';
import { createStepper } from './stepper';
import { LanguageError, type Geometry, type TokenizerConfig } from './types';

/** Inverse DWT of a Mallat array, clipped to [0, 1], cropped: floats [height * width]. */
export function reconstructFloat(coefficients: Float64Array, geometry: Geometry, wavelet: WaveletName): Float64Array {
  assertGeometry(geometry);
  const { width, height, size, top, left } = geometry;
  const square = inverseDwt2(coefficients, size, wavelet);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = (y + top) * size + left;
    for (let x = 0; x < width; x++) {
      const v = square[row + x];
      out[y * width + x] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/** Like reconstructFloat, rounded to bytes [height * width]. */
export function reconstructPixels(coefficients: Float64Array, geometry: Geometry, wavelet: WaveletName): Uint8Array {
  const f = reconstructFloat(coefficients, geometry, wavelet);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.round(f[i] * 255);
  return out;
}

export interface DecodedSentence {
  /** Decoded Mallat array [size * size]. */
  coefficients: Float64Array;
  /** The image [height * width]. */
  pixels: Uint8Array;
  /** Tokens used: all of them, or fewer when the sentence completed before the end. */
  consumed: number;
}

/**
 * Decodes a sentence or any prefix of one. Throws LanguageError (with the token index) on an
 * illegal token; tokens after a complete sentence are ignored (see `consumed`).
 */
export function decodeSentence(tokens: ArrayLike<number>, startExponent: number, geometry: Geometry, config: TokenizerConfig): DecodedSentence {
  const s = createStepper(startExponent, geometry, config);
  let i = 0;
  for (; i < tokens.length && !s.done; i++) s.push(tokens[i]);
  const coefficients = s.coefficients();
  return { coefficients, pixels: reconstructPixels(coefficients, geometry, config.wavelet), consumed: i };
}

export type Validation = { ok: true } | { ok: false; index: number; reason: string };

/**
 * Checks a sentence against the grammar: ids in 0..6, every token legal, not longer than the
 * sentence, and (unless allowPrefix) complete. Never throws on bad tokens.
 */
export function validateSentence(
  tokens: ArrayLike<number>,
  startExponent: number,
  geometry: Geometry,
  config: TokenizerConfig,
  options: { allowPrefix?: boolean } = {},
): Validation {
  try {
    const s = createStepper(startExponent, geometry, config);
    for (let i = 0; i < tokens.length; i++) {
      if (s.done) return { ok: false, index: i, reason: `sentence too long: complete after ${i} tokens, got ${tokens.length}` };
      s.push(tokens[i]);
    }
    if (!s.done && options.allowPrefix !== true) {
      return { ok: false, index: tokens.length, reason: `sentence incomplete after ${tokens.length} tokens` };
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof LanguageError) return { ok: false, index: e.index, reason: e.message };
    if (e instanceof RangeError) return { ok: false, index: 0, reason: e.message };
    throw e;
  }
}

/** Peak signal-to-noise ratio of two byte images in dB; Infinity when equal. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`psnr needs two non-empty images of equal size, got ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  if (sum === 0) return Infinity;
  return 10 * Math.log10((255 * 255 * a.length) / sum);
}
