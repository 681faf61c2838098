/**
 * The evaluation pipeline with stand-in models (no GPT needed): a "model" that returns
 * real training images of the requested class, encoded in the wavelet language, must get
 * near-perfect class consistency and an FID close to the real-vs-real floor; one that
 * returns blank images must score far worse. A uniform scorer costs log2(7) bits a token.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SentenceScorer } from '../../../src/core/eval/bits';
import { formatEvalSummary } from '../../../src/core/eval/report';
import { encodeImage, type TokenizerConfig } from '../../../src/core/language';
import { geometryFor } from '../../../src/core/language/geometry';
import { ensureEvalBackend } from '../../../src/node/eval/backend';
import { loadBuiltinImages } from '../../../src/node/eval/builtin-images';
import { evaluateModel, samplesPerClass, type EvalModel, type GeneratedSentence } from '../../../src/node/eval/run-eval';

const tokenizer: TokenizerConfig = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' };

beforeAll(async () => {
  await ensureEvalBackend();
});

const uniformScorer: SentenceScorer = {
  maxLength: 100000,
  logProbs: async (batch) => new Float32Array(batch.sentences.reduce((a, s) => a + s.length, 0)).fill(-Math.log(7)),
};

/** A stand-in model drawing sentences from `source(classIndex, k)` images. */
async function standIn(blank: boolean, language = tokenizer): Promise<EvalModel> {
  const train = await loadBuiltinImages('mnist', 'train');
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < 5000; i++) byClass[train.labels[i]].push(i);
  const used = new Array<number>(10).fill(0);
  return {
    path: 'stand-in', datasetId: 'mnist', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    tokenizer: language, geometry: geometryFor(28, 28), step: 0, params: 0, backend: 'test',
    sampling: { temperature: 1, topK: 0, topP: 1 },
    scorer: uniformScorer,
    async generate(classIndex: number, count: number): Promise<GeneratedSentence[]> {
      return Array.from({ length: count }, () => {
        const i = byClass[classIndex][used[classIndex]++];
        const pixels = blank ? new Uint8Array(784) : (train.pixels.subarray(i * 784, (i + 1) * 784) as Uint8Array);
        const e = encodeImage(pixels, 28, 28, language);
        return { classIndex, tokens: e.tokens, startExponent: e.startExponent };
      });
    },
  };
}

describe('evaluateModel', () => {
  it('splits samples evenly over classes', () => {
    expect(samplesPerClass(23, 10)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('scores real images as consistent and close to the FID floor, blank ones as far worse', async () => {
    const tensors = tf.memory().numTensors;
    const stages = new Set<string>();
    const real = await evaluateModel(await standIn(false), {
      samples: 300, seed: 1, bitsImages: 20, onProgress: (stage) => stages.add(stage),
    });
    expect(real.consistency?.accuracy).toBeGreaterThan(0.95);
    expect(real.consistency?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(real.fid?.floor).toBeGreaterThan(0);
    expect(real.fid?.value).toBeLessThan(3 * (real.fid?.floor ?? 0) + 1);
    expect(real.bits?.bitsPerToken).toBeCloseTo(Math.log2(7), 4);
    expect(real.bits?.images).toBe(20);
    expect(real.judge?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect([...stages].sort()).toEqual(['bits', 'judging', 'sampling']);

    const blank = await evaluateModel(await standIn(true), { samples: 300, seed: 1, bitsImages: 5 });
    expect(blank.consistency?.accuracy).toBeLessThan(0.3);
    expect(blank.fid?.value).toBeGreaterThan(10 * (real.fid?.value ?? 0));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('measures the language ceiling: real images through the tokenizer, worse for a coarser language', async () => {
    const fine = await evaluateModel(await standIn(false), { samples: 300, seed: 1, bitsImages: 0 });
    const coarse = await evaluateModel(await standIn(false, { ...tokenizer, finalExponent: 1 }), { samples: 300, seed: 1, bitsImages: 0 });
    for (const report of [fine, coarse]) {
      expect(report.ceiling?.count).toBe(300);
      expect(report.bits).toBeNull();
      expect(report.notes).toContain('bits per image: not measured (0 test images asked for)');
    }
    // Tf 2^-3 keeps digits intact: judged like real images, FID near the floor
    expect(fine.ceiling?.accuracy).toBeGreaterThan(0.95);
    expect(fine.ceiling?.fid).toBeLessThan(2 * (fine.fid?.floor ?? 0) + 1);
    // Tf 2^1 keeps only the largest coefficients: far shorter sentences, far from real images
    expect(coarse.ceiling?.meanTokens).toBeLessThan(0.5 * (fine.ceiling?.meanTokens ?? 0));
    expect(coarse.ceiling?.fid).toBeGreaterThan(5 * (fine.ceiling?.fid ?? 0));
    expect(coarse.ceiling?.accuracy).toBeLessThan(fine.ceiling?.accuracy ?? 0);
    expect(formatEvalSummary(coarse)).toContain('  sampling: temperature 1, top-k off, top-p off, guidance off\n');
    expect(formatEvalSummary({ ...coarse, samples: { ...coarse.samples, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 2 } } })).toContain('top-p 0.6, guidance 2\n');
    expect(formatEvalSummary({ ...coarse, samples: { ...coarse.samples, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 2, guidancePlanes: 3 } } })).toContain('top-p 0.6, guidance 2 on bit-planes 1-3\n');
    expect(formatEvalSummary({ ...coarse, samples: { ...coarse.samples, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 2, guidancePlanes: 1 } } })).toContain('guidance 2 on bit-plane 1\n');
    const fid = { value: 9.9, sampleCount: 300, referenceCount: 300, featureDim: 128, floor: 2.5 };
    expect(formatEvalSummary({ ...coarse, fid })).toContain('  FID (judge features): 9.90  [train-vs-test floor 2.50, N=300, 4.0x the floor]\n');
    expect(formatEvalSummary({ ...coarse, fid: { ...fid, floor: 0 } })).toContain('  FID (judge features): 9.90  [train-vs-test floor 0.00, N=300]\n');
    expect(formatEvalSummary(coarse)).toMatch(/language ceiling \(real images through the tokenizer, \d+ tokens\): consistency \d+\.\d%, FID \d+\.\d\d/);
  });

  it('notes what it cannot measure for a dataset without a judge', async () => {
    const model = { ...(await standIn(false)), datasetId: 'my-faces', scorer: null };
    const report = await evaluateModel(model, { samples: 10, seed: 0 });
    expect(report.consistency).toBeNull();
    expect(report.fid).toBeNull();
    expect(report.notes.join('\n')).toMatch(/no judge for dataset "my-faces"/);
    expect(report.timing.secPerImage).toBeGreaterThanOrEqual(0);
  });
});
