/**
 * Training batches for the transformer: sentences of a token corpus -> features
 * [B, T, F], and target weights [B*T, 7] (one-hot of the token to predict divided by the
 * batch's token count; all zero on padding, so padding never enters the loss).
 * T is the longest sentence of the batch, capped at the model context (longer sentences
 * train on their first T tokens).
 * Used by: worker/jobs/train.ts (through the trainer's task), cli bench, tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { TokenCorpus } from '../data/corpus';
import { traceSentence } from '../language';
import type { ModelConfig } from './config';
import { featureLayout, NO_CLASS, writeSentence } from './features';
import type { Gpt } from './gpt';
import { VOCAB } from './gpt';

export interface TokenBatch {
  features: Float32Array; // [B, T, F]
  targetWeights: Float32Array; // [B*T, 7]
  batch: number;
  length: number;
  /** Real (unpadded) positions in the batch. */
  tokens: number;
}

export function sentenceLength(corpus: TokenCorpus, i: number): number {
  return corpus.offsets[i + 1] - corpus.offsets[i];
}

/**
 * unconditional[b] set: sentence b is fed with NO_CLASS (class dropout, which teaches the
 * model the unconditional distribution that classifier-free guidance contrasts with).
 */
export function buildBatch(corpus: TokenCorpus, indices: readonly number[], config: ModelConfig, unconditional?: readonly boolean[]): TokenBatch {
  const layout = featureLayout(config);
  const F = layout.size;
  const B = indices.length;
  const T = Math.max(1, Math.min(config.context, Math.max(...indices.map((i) => sentenceLength(corpus, i)))));
  const features = new Float32Array(B * T * F);
  const targetWeights = new Float32Array(B * T * VOCAB);
  let count = 0;
  const size = corpus.geometry.size;
  indices.forEach((index, b) => {
    const tokens = corpus.tokens.subarray(corpus.offsets[index], corpus.offsets[index + 1]);
    const n = Math.min(tokens.length, T);
    const trace = traceSentence(tokens.subarray(0, n), corpus.startExponents[index], corpus.geometry, corpus.tokenizer);
    writeSentence(features, b * T * F, tokens, trace, n, {
      startExponent: corpus.startExponents[index], classIndex: unconditional?.[b] ? NO_CLASS : corpus.labels[index], size,
    }, layout, config);
    for (let i = 0; i < n; i++) targetWeights[(b * T + i) * VOCAB + tokens[i]] = 1;
    count += n;
  });
  const scale = count > 0 ? 1 / count : 0;
  for (let i = 0; i < targetWeights.length; i++) if (targetWeights[i] !== 0) targetWeights[i] = scale;
  return { features, targetWeights, batch: B, length: T, tokens: count };
}

/** Mean next-token cross-entropy of the batch (a scalar the caller disposes). */
export function batchLoss(model: Gpt, batch: TokenBatch): tf.Scalar {
  return tf.tidy(() => {
    const features = tf.tensor3d(batch.features, [batch.batch, batch.length, model.layout.size]);
    const weights = tf.tensor2d(batch.targetWeights, [batch.batch * batch.length, VOCAB]);
    return model.loss(features, weights);
  });
}
