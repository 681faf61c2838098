/**
 * The token cache format: the sentences of a whole dataset (train then test) under one
 * tokenizer config, as flat files beside a manifest. The cache is keyed by the dataset's
 * content hash, the tokenizer config and FORMAT_VERSION, so a change of any of the three
 * gives a new cache. Files (all little-endian):
 *   tokens.bin          uint8  [total tokens]      every sentence, one after the other
 *   offsets.u32         uint32 [N + 1]             sentence i is tokens[offsets[i] .. offsets[i+1])
 *   start-exponents.i8  int8   [N]                 log2 T0 of every sentence
 *   labels.u16          uint16 [N]                 class of every sentence
 *   manifest.json       TokenCacheManifest
 * Used by: node/datasets/token-cache.ts (writes and reads it), node/service, cli.
 */
import type { Geometry, TokenizerConfig } from '../language/types';
import type { SplitCounts } from './dataset';
import type { ExponentHistogram, LengthStats } from './token-stats';

/** Bump when the files or the coder's output change meaning. */
export const TOKEN_CACHE_FORMAT_VERSION = 1;

export const TOKEN_FILES = {
  tokens: 'tokens.bin',
  offsets: 'offsets.u32',
  startExponents: 'start-exponents.i8',
  labels: 'labels.u16',
  manifest: 'manifest.json',
} as const;

/** PSNR of a perfect reconstruction is infinite; averages count it as this many dB. */
export const PSNR_CAP_DB = 100;

export interface SplitTokenStats {
  lengths: LengthStats;
  /** Start exponents over the split, and per class (index = class). */
  startExponents: ExponentHistogram;
  startExponentsPerClass: ExponentHistogram[];
  /** Mean PSNR (dB, capped at PSNR_CAP_DB) of the decoded full sentences against the images. */
  psnrMean: number;
  psnrMin: number;
}

export interface TokenCacheManifest {
  formatVersion: number;
  key: string;
  datasetId: string;
  datasetContentHash: string;
  tokenizer: TokenizerConfig;
  geometry: Geometry;
  classes: string[];
  counts: SplitCounts;
  totalTokens: number;
  train: SplitTokenStats;
  test: SplitTokenStats;
  /** Both splits together. */
  all: { lengths: LengthStats; startExponents: ExponentHistogram; psnrMean: number };
  buildSeconds: number;
  /** Bytes of every file, manifest excluded. */
  bytes: Record<string, number>;
  created: string;
}

/** The text hashed into the cache key (canonical: fixed key order). */
export function tokenCacheKeyText(datasetContentHash: string, tokenizer: TokenizerConfig): string {
  return JSON.stringify({
    format: TOKEN_CACHE_FORMAT_VERSION,
    dataset: datasetContentHash,
    wavelet: tokenizer.wavelet,
    finalExponent: tokenizer.finalExponent,
    variant: tokenizer.variant,
  });
}
