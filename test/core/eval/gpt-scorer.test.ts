/**
 * The GPT scorer: per-token log-probabilities are valid (finite, <= 0), one per token,
 * and do not depend on what else is in the batch (padding never leaks into a sentence);
 * no tensors leak; a sentence longer than the context is refused.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGptScorer } from '../../../src/core/eval/gpt-scorer';
import { encodeImage } from '../../../src/core/language';
import { validateModelConfig } from '../../../src/core/model/config';
import { createGpt } from '../../../src/core/model/gpt';

const tokenizer = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function sentence(side: number): { tokens: Uint8Array; startExponent: number; geometry: ReturnType<typeof encodeImage>['geometry'] } {
  const pixels = new Uint8Array(784).map((_, p) => (Math.floor(p / 28) < side && p % 28 < side ? 255 : 0));
  return encodeImage(pixels, 28, 28, tokenizer);
}

describe('createGptScorer', () => {
  it('gives batch-independent, valid log-probabilities for every token', async () => {
    const gpt = createGpt(validateModelConfig({ layers: 1, width: 16, heads: 2, context: 1024, seed: 1 }));
    const short = sentence(3);
    const long = sentence(7);
    expect(long.tokens.length).toBeGreaterThan(short.tokens.length);
    const scorer = createGptScorer(gpt, tokenizer, short.geometry);
    const tensors = tf.memory().numTensors;
    const alone = await scorer.logProbs({ sentences: [short.tokens], startExponents: [short.startExponent], classes: [3] });
    const both = await scorer.logProbs({ sentences: [long.tokens, short.tokens], startExponents: [long.startExponent, short.startExponent], classes: [1, 3] });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(alone.length).toBe(short.tokens.length);
    expect(both.length).toBe(long.tokens.length + short.tokens.length);
    const tail = both.subarray(long.tokens.length);
    for (let i = 0; i < alone.length; i++) expect(tail[i]).toBeCloseTo(alone[i], 4);
    expect(Array.from(both).every((v) => Number.isFinite(v) && v <= 0)).toBe(true);
    expect(scorer.maxLength).toBe(1024);
    await expect(createGptScorer(createGpt(validateModelConfig({ layers: 1, width: 16, heads: 2, context: 64 })), tokenizer, short.geometry)
      .logProbs({ sentences: [short.tokens], startExponents: [short.startExponent], classes: [0] })).rejects.toThrow(/exceeds the model context \(64\)/);
    gpt.dispose();
  });
});
