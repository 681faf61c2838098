/**
 * What the training and evaluation engines read: the token corpus of one split of a
 * dataset under one tokenizer (built into the token cache on first use, reused after),
 * and the per-class start-exponent histograms the sampler draws log2 T0 from.
 * Used by: core/train callers in worker/jobs/train.ts, worker/jobs/eval.ts, cli.
 */
import type { TokenCorpus } from '../../core/data/corpus';
import type { ExponentHistogram } from '../../core/data/token-stats';
import type { TokenizerConfig } from '../../core/language/types';
import { ensureTokenCache, type CacheOptions, type TokenCache } from './token-cache';

/** The corpus of `split` (sentence indices from 0 within the split). */
export function corpusOfSplit(cache: TokenCache, split: 'train' | 'test'): TokenCorpus {
  const { manifest } = cache;
  const nTrain = manifest.counts.train;
  const [from, to] = split === 'train' ? [0, nTrain] : [nTrain, nTrain + manifest.counts.test];
  const base = cache.offsets[from];
  const offsets = split === 'train' ? cache.offsets.subarray(0, to + 1) : cache.offsets.slice(from, to + 1).map((o) => o - base);
  return {
    tokenizer: manifest.tokenizer,
    geometry: manifest.geometry,
    classes: manifest.classes,
    offsets,
    tokens: cache.tokens.subarray(base, cache.offsets[to]),
    startExponents: cache.startExponents.subarray(from, to),
    labels: cache.labels.subarray(from, to),
  };
}

/**
 * The token corpus of one split; builds the token cache (both splits) when it is missing,
 * reporting progress, and says "token cache hit" through onProgress when it is reused.
 */
export async function getTokenCorpus(
  workspace: string,
  datasetId: string,
  tokenizer: TokenizerConfig,
  split: 'train' | 'test',
  opts: CacheOptions = {},
): Promise<TokenCorpus> {
  const { cache } = await ensureTokenCache(workspace, datasetId, tokenizer, opts);
  return corpusOfSplit(cache, split);
}

/**
 * Start-exponent histogram per class (index = class) of a split, from the token cache
 * (built when missing). The sampler picks log2 T0 of a new image of class c from entry c.
 */
export async function startExponentHistogram(
  workspace: string,
  datasetId: string,
  tokenizer: TokenizerConfig,
  split: 'train' | 'test' = 'train',
  opts: CacheOptions = {},
): Promise<ExponentHistogram[]> {
  const { cache } = await ensureTokenCache(workspace, datasetId, tokenizer, opts);
  return cache.manifest[split].startExponentsPerClass;
}
