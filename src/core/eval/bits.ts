/**
 * Bits per image: the negative log-likelihood of held-out sentences under a model, in
 * bits, with tokens per image and bits per token. The model is reached only through the
 * SentenceScorer interface (core/eval/gpt-scorer.ts adapts the wavelet GPT), so this file
 * knows no network. The start exponent is given, not scored (its histogram is a few bits).
 * Used by: node/eval/run-eval.ts, tests (with a fake scorer).
 */
import { corpusSize, sentenceAt, type TokenCorpus } from '../data/corpus';

export interface ScoringBatch {
  sentences: Uint8Array[];
  startExponents: number[];
  classes: number[];
}

/** Anything that can give log p(token_i | tokens_<i, start exponent, class) for sentences. */
export interface SentenceScorer {
  /** Longest sentence it can score; longer ones are skipped by the caller. */
  readonly maxLength: number;
  /** Natural-log probability of every token of every sentence, concatenated in batch order. */
  logProbs(batch: ScoringBatch): Promise<Float32Array>;
}

export interface BitsResult {
  images: number;
  /** sentences longer than the scorer's maxLength, left out of the means */
  skipped: number;
  bitsPerImage: number;
  bitsPerImageStd: number;
  tokensPerImage: number;
  bitsPerToken: number;
  /** bits per image / (width * height) of the uncropped image */
  bitsPerPixel: number;
}

export interface BitsOptions {
  /** corpus indices to score (default: all) */
  indices?: ArrayLike<number>;
  batchSize?: number;
  signal?: { readonly aborted: boolean };
  onProgress?: (done: number, total: number) => void;
}

/** Scores sentences in batches and summarises their code lengths. */
export async function bitsPerImage(scorer: SentenceScorer, corpus: TokenCorpus, options: BitsOptions = {}): Promise<BitsResult> {
  const all = options.indices ?? Array.from({ length: corpusSize(corpus) }, (_, i) => i);
  const chosen = Array.from(all).filter((i) => corpus.offsets[i + 1] - corpus.offsets[i] <= scorer.maxLength);
  const batchSize = options.batchSize ?? 16;
  const perImage: number[] = [];
  let tokens = 0;
  for (let start = 0; start < chosen.length; start += batchSize) {
    if (options.signal?.aborted) throw new Error('bits per image cancelled');
    const ids = chosen.slice(start, start + batchSize);
    const batch: ScoringBatch = {
      sentences: ids.map((i) => sentenceAt(corpus, i)),
      startExponents: ids.map((i) => corpus.startExponents[i]),
      classes: ids.map((i) => corpus.labels[i]),
    };
    const logp = await scorer.logProbs(batch);
    const expected = batch.sentences.reduce((a, s) => a + s.length, 0);
    if (logp.length !== expected) throw new Error(`scorer returned ${logp.length} log-probabilities for ${expected} tokens`);
    let o = 0;
    for (const s of batch.sentences) {
      let nats = 0;
      for (let t = 0; t < s.length; t++) nats -= logp[o + t];
      o += s.length;
      tokens += s.length;
      perImage.push(nats / Math.LN2);
    }
    options.onProgress?.(Math.min(chosen.length, start + batchSize), chosen.length);
  }
  return summarise(perImage, tokens, all.length - chosen.length, corpus.geometry.width * corpus.geometry.height);
}

function summarise(perImage: number[], tokens: number, skipped: number, pixels: number): BitsResult {
  const n = perImage.length;
  const mean = n === 0 ? NaN : perImage.reduce((a, b) => a + b, 0) / n;
  const variance = n < 2 ? 0 : perImage.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return {
    images: n,
    skipped,
    bitsPerImage: mean,
    bitsPerImageStd: Math.sqrt(variance),
    tokensPerImage: n === 0 ? NaN : tokens / n,
    bitsPerToken: tokens === 0 ? NaN : (mean * n) / tokens,
    bitsPerPixel: mean / pixels,
  };
}
