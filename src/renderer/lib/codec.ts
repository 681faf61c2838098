/**
 * The renderer's view of the wavelet language: decodes sentence prefixes, traces token
 * positions and computes region ownership in the page itself (core/language is tfjs-free),
 * so sliders and brushes answer instantly without a round trip to the engine.
 * Used by: stores/inspector, stores/sampler, stores/region and their views.
 */
import {
  decodeSentence, encodeImage, geometryFor, planeStarts, psnr, regionCoefficients, regionFootprint, traceSentence,
} from '../../core/language';
import type { Geometry, SentenceTrace, TokenizerConfig } from '../../core/language/types';

export interface Sentence {
  tokens: Uint8Array;
  startExponent: number;
}

export interface Decoded {
  pixels: Uint8Array;
  coefficients: Float64Array;
  size: number;
}

/** Per-token positions (arrays of length n + 1: the last entry is the next slot). */
export type Trace = SentenceTrace;

export function geometry(width: number, height: number): Geometry {
  return geometryFor(width, height);
}

export function toTokens(tokens: ArrayLike<number>): Uint8Array {
  return tokens instanceof Uint8Array ? tokens : Uint8Array.from(tokens as ArrayLike<number>);
}

/** Decodes the first `count` tokens (any prefix decodes). */
export function decodePrefix(sentence: Sentence, count: number, tokenizer: TokenizerConfig, width: number, height: number): Decoded {
  const geo = geometryFor(width, height);
  const n = Math.max(0, Math.min(count, sentence.tokens.length));
  const out = decodeSentence(sentence.tokens.subarray(0, n), sentence.startExponent, geo, tokenizer);
  return { pixels: out.pixels, coefficients: out.coefficients, size: geo.size };
}

export function traceOf(sentence: Sentence, tokenizer: TokenizerConfig, width: number, height: number): Trace {
  return traceSentence(sentence.tokens, sentence.startExponent, geometryFor(width, height), tokenizer);
}

/** Token indices where each bit-plane starts. */
export function planeBoundaries(trace: Trace): number[] {
  return planeStarts(trace);
}

export function psnrOf(a: Uint8Array, b: Uint8Array): number {
  return psnr(a, b);
}

export function encode(pixels: Uint8Array, width: number, height: number, tokenizer: TokenizerConfig): Sentence {
  const e = encodeImage(pixels, width, height, tokenizer);
  return { tokens: e.tokens, startExponent: e.startExponent };
}

export type Selection = 'touching' | 'contained';

/** Which Mallat positions (M x M, 1 = owned) a pixel mask owns, and the pixels they can change. */
export function regionOf(mask: Uint8Array, width: number, height: number, tokenizer: TokenizerConfig, selection: Selection): { owned: Uint8Array; footprint: Uint8Array } {
  const geo = geometryFor(width, height);
  const owned = regionCoefficients(mask, width, height, geo, tokenizer.wavelet, selection);
  const footprint = regionFootprint(owned, geo, tokenizer.wavelet);
  return { owned, footprint };
}
