/**
 * A token corpus: the sentences of one dataset split under one tokenizer config, packed
 * into flat typed arrays (sentence i is tokens[offsets[i] .. offsets[i+1])).
 * Produced by node/datasets (the token cache), consumed by core/train and core/eval.
 */
import type { Geometry, TokenizerConfig } from '../language/types';

export interface TokenCorpus {
  tokenizer: TokenizerConfig;
  geometry: Geometry;
  classes: string[];
  /** length count + 1 */
  offsets: Uint32Array;
  tokens: Uint8Array;
  startExponents: Int8Array;
  labels: Uint16Array;
}

export function corpusSize(corpus: TokenCorpus): number {
  return corpus.offsets.length - 1;
}

export function sentenceAt(corpus: TokenCorpus, i: number): Uint8Array {
  return corpus.tokens.subarray(corpus.offsets[i], corpus.offsets[i + 1]);
}
