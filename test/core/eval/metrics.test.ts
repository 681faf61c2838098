/**
 * Class consistency counting, bits per image through a fake scorer (a uniform model must
 * cost exactly log2(7) bits per token), and the eval report's version gate.
 */
import { describe, expect, it } from 'vitest';
import { bitsPerImage, type ScoringBatch, type SentenceScorer } from '../../../src/core/eval/bits';
import { classConsistency } from '../../../src/core/eval/consistency';
import { EVAL_REPORT_SCHEMA_VERSION, parseEvalReport } from '../../../src/core/eval/report';
import type { TokenCorpus } from '../../../src/core/data/corpus';

describe('classConsistency', () => {
  it('counts accuracy, per-class accuracy and the confusion matrix', () => {
    const c = classConsistency([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], 4);
    expect(c.accuracy).toBeCloseTo(4 / 6, 12);
    expect(c.perClass).toEqual([0.5, 2 / 3, 1, null]);
    expect(c.confusion[1]).toEqual([1, 2, 0, 0]);
    expect(c.confusion[0]).toEqual([1, 1, 0, 0]);
  });

  it('refuses out-of-range classes and mismatched lengths', () => {
    expect(() => classConsistency([0, 5], [0, 0], 3)).toThrow(/out of range at 1/);
    expect(() => classConsistency([0], [0, 1], 3)).toThrow(/differ/);
  });
});

function corpus(lengths: number[]): TokenCorpus {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((l, i) => { offsets[i + 1] = offsets[i] + l; });
  return {
    tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
    geometry: { width: 28, height: 28, size: 32, top: 2, left: 2 },
    classes: ['a', 'b'],
    offsets,
    tokens: new Uint8Array(offsets[lengths.length]).map((_, i) => i % 7),
    startExponents: Int8Array.from(lengths.map(() => 2)),
    labels: Uint16Array.from(lengths.map((_, i) => i % 2)),
  };
}

const uniform = (maxLength: number, seen: ScoringBatch[] = []): SentenceScorer => ({
  maxLength,
  async logProbs(batch) {
    seen.push(batch);
    return new Float32Array(batch.sentences.reduce((a, s) => a + s.length, 0)).fill(-Math.log(7));
  },
});

describe('bitsPerImage', () => {
  it('costs log2(7) bits per token under a uniform model, skipping over-long sentences', async () => {
    const seen: ScoringBatch[] = [];
    const r = await bitsPerImage(uniform(100, seen), corpus([10, 30, 200, 20]), { batchSize: 2 });
    expect(r.images).toBe(3);
    expect(r.skipped).toBe(1);
    expect(r.tokensPerImage).toBeCloseTo(20, 12);
    expect(r.bitsPerToken).toBeCloseTo(Math.log2(7), 5);
    expect(r.bitsPerImage).toBeCloseTo(20 * Math.log2(7), 4);
    expect(r.bitsPerPixel).toBeCloseTo((20 * Math.log2(7)) / (28 * 28), 6);
    expect(seen.map((b) => b.classes)).toEqual([[0, 1], [1]]); // classes travel with their sentences
  });

  it('refuses a scorer that returns the wrong number of values', async () => {
    const broken: SentenceScorer = { maxLength: 100, logProbs: async () => new Float32Array(1) };
    await expect(bitsPerImage(broken, corpus([5]))).rejects.toThrow(/1 log-probabilities for 5 tokens/);
  });
});

describe('parseEvalReport', () => {
  it('accepts its own version and refuses newer versions and other kinds', () => {
    const base = { kind: 'wavelet-studio-eval', schemaVersion: EVAL_REPORT_SCHEMA_VERSION, createdAt: 'x', samples: {}, timing: {} };
    expect(parseEvalReport(base).kind).toBe('wavelet-studio-eval');
    expect(() => parseEvalReport({ ...base, schemaVersion: EVAL_REPORT_SCHEMA_VERSION + 1 })).toThrow(/newer/);
    expect(() => parseEvalReport({ ...base, kind: 'other' })).toThrow(/kind/);
  });
});
