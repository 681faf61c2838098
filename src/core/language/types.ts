/**
 * Types and constants of the wavelet language (shared/design/wavelet-language.md).
 * Used by: every part of core/language, core/model (features), core/sample (grammar),
 * node (token cache), renderer (inspector).
 */

/** Token ids, exactly as in the specification's table. */
export const TOKEN = {
  Group4x4: 0,
  Group2x2: 1,
  Insignificant: 2,
  NowSignificantPos: 3,
  NowSignificantNeg: 4,
  NextAccuracy0: 5,
  NextAccuracy1: 6,
} as const;
export type TokenId = (typeof TOKEN)[keyof typeof TOKEN];
export const VOCAB_SIZE = 7;
export const TOKEN_NAMES = ['Group4x4', 'Group2x2', 'Insignificant', 'NowSignificantPos', 'NowSignificantNeg', 'NextAccuracy0', 'NextAccuracy1'] as const;
export const TOKEN_SHORT = ['G4', 'G2', 'Ins', 'Pos', 'Neg', 'Acc0', 'Acc1'] as const;

export type WaveletName = 'haar' | 'bior4.4' | 'bior2.2';
export type CoderVariant = 'blocks' | 'zerotree';

export interface TokenizerConfig {
  wavelet: WaveletName;
  /** log2 of the final threshold Tf (paper: -3 for MNIST/Haar, -4 for Fashion/bior4.4). */
  finalExponent: number;
  variant: CoderVariant;
}

/** Kinds of slot, as small integers so they can travel in typed arrays. */
export const SLOT = {
  Block: 0, // an intact 4x4 block
  Group: 1, // an intact 2x2 group inside an open block
  Coefficient: 2, // a coefficient not yet significant
  Refinement: 3, // a coefficient significant since an earlier plane
  Tree: 4, // zerotree variant: a coefficient whose descendants may all be insignificant
} as const;
export type SlotKind = (typeof SLOT)[keyof typeof SLOT];

/** Subbands: LL (only at the coarsest level), and the three detail orientations. */
export const SUBBAND = { LL: 0, TR: 1, BL: 2, BR: 3 } as const;
export type SubbandId = (typeof SUBBAND)[keyof typeof SUBBAND];

/** Where a token sits: its plane, the top-left coefficient of its slot, level and subband. */
export interface SlotInfo {
  plane: number;
  row: number;
  col: number;
  /** Detail level j: 1 is the finest (subband size M/2), m-1 the coarsest; 0 for LL. */
  level: number;
  subband: SubbandId;
  kind: SlotKind;
}

/** Image geometry: the H x W crop inside the zero-padded M x M square (M = 2^m). */
export interface Geometry {
  width: number;
  height: number;
  size: number;
  /** Offsets of the crop inside the padded square. */
  top: number;
  left: number;
}

export interface EncodedImage {
  tokens: Uint8Array;
  startExponent: number;
  geometry: Geometry;
}

/** Thrown for an illegal token stream; `index` is the first offending token. */
export class LanguageError extends Error {
  readonly index: number;
  constructor(index: number, reason: string) {
    super(`token ${index}: ${reason}`);
    this.name = 'LanguageError';
    this.index = index;
  }
}

/**
 * The decoder state machine one token at a time: what the sampler drives at every step.
 * push() is O(1) amortised and allocates nothing; clone() copies the state arrays.
 */
export interface Stepper {
  /** True once the plane at Tf has been scanned completely. */
  readonly done: boolean;
  /** Number of tokens pushed so far. */
  readonly position: number;
  /** Bit t set = token t legal at the next slot (0 when done). */
  legalMask(): number;
  /** The next slot (allocates; see writeSlot for the allocation-free form), null when done. */
  nextSlot(): SlotInfo | null;
  /** Applies one token; throws LanguageError (index = position) when it is illegal. */
  push(token: number): void;
  /** Decoded coefficients so far, Mallat layout [size * size] (a fresh array). */
  coefficients(): Float64Array;
  clone(): Stepper;
  /** Writes [plane, row, col, level, subband, kind] of the next slot at out[at..at+5]; kind -1 when done. */
  writeSlot(out: Int16Array | Int32Array, at: number): void;
}

/** The slot of every token of a sentence, plus the slot after the last one (index n). */
export interface SentenceTrace {
  /** Number of tokens n; every array has length n + 1. */
  length: number;
  /** True when the sentence is complete (slot n has kind -1 and zeros elsewhere). */
  complete: boolean;
  plane: Int16Array;
  row: Int16Array;
  col: Int16Array;
  level: Int16Array;
  subband: Int16Array;
  kind: Int16Array;
}

/** A stepper for region regeneration: the grammar and "outside stays as in the source". */
export interface RegionStepper extends Stepper {
  /** The only legal token when exactly one is legal, else -1 (the model may choose). */
  forcedToken(): number;
  clone(): RegionStepper;
}

/** Which coefficients a region may change, besides the ownership mask. */
export interface RegionAllow {
  levels?: number[];
  subbands?: SubbandId[];
  /** Planes at which an owned coefficient may first depart from the source. */
  planes?: number[];
}
