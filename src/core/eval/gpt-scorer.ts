/**
 * Adapts the wavelet GPT (core/model) to the SentenceScorer interface of bits.ts: one
 * uncached forward pass over a padded batch, log-softmax, and the log-probability of each
 * real token (padding never read).
 * Used by: node/eval/run-eval.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { TokenCorpus } from '../data/corpus';
import type { Geometry, TokenizerConfig } from '../language/types';
import { buildBatch } from '../model/batch';
import { disposeCache, VOCAB, type Gpt } from '../model/gpt';
import type { ScoringBatch, SentenceScorer } from './bits';

/** The batch as a small corpus, so the model's own batch builder makes its features. */
function asCorpus(batch: ScoringBatch, tokenizer: TokenizerConfig, geometry: Geometry): TokenCorpus {
  const offsets = new Uint32Array(batch.sentences.length + 1);
  batch.sentences.forEach((s, i) => { offsets[i + 1] = offsets[i] + s.length; });
  const tokens = new Uint8Array(offsets[batch.sentences.length]);
  batch.sentences.forEach((s, i) => tokens.set(s, offsets[i]));
  return {
    tokenizer, geometry, classes: [], offsets, tokens,
    startExponents: Int8Array.from(batch.startExponents),
    labels: Uint16Array.from(batch.classes),
  };
}

export function createGptScorer(gpt: Gpt, tokenizer: TokenizerConfig, geometry: Geometry): SentenceScorer {
  return {
    maxLength: gpt.config.context,
    async logProbs(batch: ScoringBatch): Promise<Float32Array> {
      const longest = Math.max(0, ...batch.sentences.map((x) => x.length));
      if (longest > gpt.config.context) throw new Error(`a sentence of ${longest} tokens exceeds the model context (${gpt.config.context})`);
      const corpus = asCorpus(batch, tokenizer, geometry);
      const built = buildBatch(corpus, batch.sentences.map((_, i) => i), gpt.config);
      const logp = tf.tidy(() => {
        const features = tf.tensor3d(built.features, [built.batch, built.length, gpt.layout.size]); // [B, T, F]
        const { logits, cache } = gpt.run(features, null); // [B, T, 7]
        disposeCache(cache);
        return tf.logSoftmax(logits, -1); // [B, T, 7]
      });
      const values = await logp.data();
      logp.dispose();
      const out = new Float32Array(batch.sentences.reduce((a, s) => a + s.length, 0));
      let o = 0;
      batch.sentences.forEach((s, b) => {
        for (let t = 0; t < s.length; t++) out[o++] = values[(b * built.length + t) * VOCAB + s[t]];
      });
      return out;
    },
  };
}
