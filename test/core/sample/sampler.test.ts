/**
 * Sampling: grammar-valid sentences, determinism by seed, KV cache == uncached, top-k and
 * top-p honoured, rollback keeps the prefix, robust start forces the LL tokens, region
 * regeneration keeps every coefficient outside the region exactly as in the source, and
 * classifier-free guidance (scale 0 ignores the class, 1 is the plain model, cache-exact),
 * and the guidance interval (only the first n bit-planes guided, the class-free rows dropped
 * after them).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStepper, decodeSentence, encodeImage, planeStarts, regionCoefficients, traceSentence, validateSentence } from '../../../src/core/language';
import { createGpt } from '../../../src/core/model/gpt';
import { createPrng } from '../../../src/core/model/prng';
import { filteredProbabilities, guideLogits } from '../../../src/core/sample/choose';
import { regenerateRegion, sampleSentences, type ModelMeta } from '../../../src/core/sample/sampler';
import { fitStartStats, lowPassConstraint } from '../../../src/core/sample/start';
import { barImage, syntheticCorpus, TEST_TOKENIZER, tinyConfig, useWasmBackend } from '../model/synthetic';

const corpus = syntheticCorpus(12);
const meta: ModelMeta = { tokenizer: corpus.tokenizer, geometry: corpus.geometry, classes: corpus.classes, stats: fitStartStats(corpus) };
let model: ReturnType<typeof createGpt>;
const sampling = { temperature: 1, topK: 0, topP: 1 };

beforeAll(async () => {
  await useWasmBackend();
  model = createGpt(tinyConfig({ seed: 5, context: 1100 }));
});

const valid = (s: { tokens: Uint8Array; startExponent: number }): boolean => validateSentence(s.tokens, s.startExponent, corpus.geometry, corpus.tokenizer).ok;

describe('sampleSentences', () => {
  it('gives complete grammar-valid sentences, the same for the same seed, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await sampleSentences(model, meta, { classIndex: 1, count: 2, startExponent: null, sampling, seed: 7 });
    expect(tf.memory().numTensors).toBe(before);
    const b = await sampleSentences(model, meta, { classIndex: 1, count: 2, startExponent: null, sampling, seed: 7, batchSize: 1 });
    const c = await sampleSentences(model, meta, { classIndex: 1, count: 2, startExponent: null, sampling, seed: 8 });
    expect(a.every((s) => s.complete && valid(s))).toBe(true);
    expect(b.map((s) => Array.from(s.tokens))).toEqual(a.map((s) => Array.from(s.tokens)));
    expect(c.map((s) => Array.from(s.tokens))).not.toEqual(a.map((s) => Array.from(s.tokens)));
    expect(Object.keys(meta.stats[1].startExponents)).toContain(String(a[0].startExponent));
  });

  it('gives identical sentences with and without the KV cache', async () => {
    // A short context keeps the quadratic uncached path fast; both stop at 120 tokens.
    const short = createGpt(tinyConfig({ seed: 6, context: 120, layers: 2 }));
    const request = { classIndex: 0, count: 2, startExponent: 0, sampling, seed: 3 };
    const cached = await sampleSentences(short, meta, request, { useCache: true });
    const uncached = await sampleSentences(short, meta, request, { useCache: false });
    expect(cached[0].tokens.length).toBe(120);
    expect(uncached.map((s) => Array.from(s.tokens))).toEqual(cached.map((s) => Array.from(s.tokens)));
    short.dispose();
  });

  it('honours top-k: k = 1 is greedy, and the filter keeps only the k most likely legal tokens', async () => {
    const greedy = await sampleSentences(model, meta, { classIndex: 2, count: 1, startExponent: 0, sampling: { temperature: 0, topK: 0, topP: 1 }, seed: 1 });
    const topOne = await sampleSentences(model, meta, { classIndex: 2, count: 1, startExponent: 0, sampling: { temperature: 1.5, topK: 1, topP: 1 }, seed: 99 });
    expect(Array.from(topOne[0].tokens)).toEqual(Array.from(greedy[0].tokens));
    const logits = [0.1, 3, 2, 1, -1, 0, 0];
    const legal = 0b0011111; // tokens 0..4
    const p2 = filteredProbabilities(logits, 0, 7, legal, { temperature: 1, topK: 2, topP: 1 });
    expect(Array.from(p2).map((p) => p > 0)).toEqual([false, true, true, false, false, false, false]);
    const pp = filteredProbabilities(logits, 0, 7, legal, { temperature: 1, topK: 0, topP: 0.5 });
    expect(Array.from(pp).filter((p) => p > 0)).toEqual([1]);
    const rng = createPrng(4);
    const draws = new Set(Array.from({ length: 200 }, () => {
      const p = filteredProbabilities(logits, 0, 7, legal, { temperature: 5, topK: 3, topP: 1 });
      let u = rng.next();
      return p.findIndex((x) => (u -= x) < 0);
    }));
    expect([...draws].sort()).toEqual([1, 2, 3]);
  });

  it('refuses non-finite logits of legal tokens instead of drawing from NaN probabilities', () => {
    const legal = 0b0011111;
    expect(() => filteredProbabilities([0, NaN, 1, 1, 1, 0, 0], 0, 7, legal, { temperature: 1, topK: 0, topP: 1 })).toThrow(/non-finite logit/);
    expect(() => filteredProbabilities([0, 1, Infinity, 1, 1, 0, 0], 0, 7, legal, { temperature: 0, topK: 0, topP: 1 })).toThrow(/non-finite/);
    // an illegal token's logit does not matter
    expect(filteredProbabilities([0, 1, 1, 1, 1, NaN, 0], 0, 7, legal, { temperature: 0, topK: 0, topP: 1 })[1]).toBe(1);
  });

  it('a vanishing temperature is greedy, not NaN', () => {
    const legal = 0b0011111;
    for (const temperature of [1e-320, 1e-300, 1e-9]) {
      const p = filteredProbabilities([0, 900, 2, 1, -900, 0, 0], 0, 7, legal, { temperature, topK: 0, topP: 1 });
      expect(Array.from(p)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    }
  });

  it('rollback keeps the first k tokens and continues under the grammar', async () => {
    const [source] = await sampleSentences(model, meta, { classIndex: 0, count: 1, startExponent: null, sampling, seed: 11 });
    const k = 40;
    const rolled = await sampleSentences(model, meta, { classIndex: 2, count: 3, startExponent: null, sampling, seed: 12, prefix: source, from: k });
    for (const s of rolled) {
      expect(Array.from(s.tokens.subarray(0, k))).toEqual(Array.from(source.tokens.subarray(0, k)));
      expect(s.startExponent).toBe(source.startExponent);
      expect(valid(s)).toBe(true);
    }
  });

  it('robust start forces the LL tokens the drawn values give', async () => {
    const [s] = await sampleSentences(model, meta, { classIndex: 1, count: 1, startExponent: null, sampling, seed: 21, robustStart: true });
    expect(valid(s)).toBe(true);
    const decoded = decodeSentence(s.tokens, s.startExponent, corpus.geometry, corpus.tokenizer).coefficients;
    const M = corpus.geometry.size;
    const ll = [decoded[0], decoded[1], decoded[M], decoded[M + 1]];
    // Re-running the constraint with the decoded LL values accepts every LL token of the sentence.
    const constrain = lowPassConstraint(ll, s.startExponent);
    const stepper = createStepper(s.startExponent, corpus.geometry, corpus.tokenizer);
    for (const t of s.tokens) {
      const slot = stepper.nextSlot()!;
      expect((constrain(slot, 0x7f) >> t) & 1).toBe(1);
      stepper.push(t);
    }
  });
});

describe('classifier-free guidance', () => {
  /** A tiny model whose class input is amplified, so the class visibly moves its logits. */
  function classHeavyModel(context: number): ReturnType<typeof createGpt> {
    const m = createGpt(tinyConfig({ seed: 11, context }));
    const { classOffset } = m.layout;
    const kernel = m.variables.find((v) => v.name === 'input/kernel')!.variable;
    const data = kernel.dataSync().slice() as Float32Array;
    const width = kernel.shape[1] ?? 0;
    for (let c = 0; c < m.config.numClasses; c++) for (let j = 0; j < width; j++) data[(classOffset + c) * width + j] *= 400;
    tf.tidy(() => kernel.assign(tf.tensor(data, kernel.shape)));
    return m;
  }
  const tokensOf = (out: { tokens: Uint8Array }[]) => out.map((s) => Array.from(s.tokens).join(''));

  it('mixes logits as u + s (c - u)', () => {
    const out = guideLogits([1, 2, 3], 0, [0, 5, 0, 1, 1, 1], 3, 3, 2, new Float32Array(3));
    expect(Array.from(out)).toEqual([1, 3, 5]);
  });

  it('at scale 0 samples the unconditional model: the class no longer matters', async () => {
    const heavy = classHeavyModel(400);
    const request = (classIndex: number, guidance: number) => ({ classIndex, count: 2, startExponent: 0, sampling: { ...sampling, guidance }, seed: 4 });
    const before = tf.memory().numTensors;
    const [plain0, plain2] = [await sampleSentences(heavy, meta, request(0, 1)), await sampleSentences(heavy, meta, request(2, 1))];
    expect(tokensOf(plain0)).not.toEqual(tokensOf(plain2)); // the class does matter to this model
    const [free0, free2] = [await sampleSentences(heavy, meta, request(0, 0)), await sampleSentences(heavy, meta, request(2, 0))];
    expect(tokensOf(free0)).toEqual(tokensOf(free2));
    expect(tf.memory().numTensors).toBe(before);
    const guided = await sampleSentences(heavy, meta, request(0, 3));
    expect(tokensOf(guided)).not.toEqual(tokensOf(plain0));
    expect(guided.every((g) => g.tokens.length === 400 || valid(g))).toBe(true);
    // scale 1 is the plain conditional model, the same as leaving guidance out
    const absent = await sampleSentences(heavy, meta, { ...request(0, 1), sampling: { temperature: 1, topK: 0, topP: 1 } });
    expect(tokensOf(absent)).toEqual(tokensOf(plain0));
    heavy.dispose();
  });

  it('gives identical guided sentences with and without the KV cache, and refuses a negative scale', async () => {
    const short = createGpt(tinyConfig({ seed: 6, context: 100, layers: 2 }));
    const request = { classIndex: 1, count: 2, startExponent: 0, sampling: { ...sampling, guidance: 2.5 }, seed: 3 };
    const cached = await sampleSentences(short, meta, request, { useCache: true });
    const uncached = await sampleSentences(short, meta, request, { useCache: false });
    expect(tokensOf(uncached)).toEqual(tokensOf(cached));
    await expect(sampleSentences(short, meta, { ...request, sampling: { ...sampling, guidance: -1 } })).rejects.toThrow(/guidance/);
    short.dispose();
  });

  it('drops the unguided rows once every sentence is past the guided planes, the same with and without the KV cache', async () => {
    const short = createGpt(tinyConfig({ seed: 6, context: 240, layers: 2 }));
    const batches: number[] = [];
    const run = short.run.bind(short);
    short.run = (features, past) => {
      batches.push(features.shape[0]);
      return run(features, past);
    };
    const request = { classIndex: 1, count: 2, startExponent: 0, sampling: { ...sampling, guidance: 2.5, guidancePlanes: 1 }, seed: 3 };
    const before = tf.memory().numTensors;
    const cached = await sampleSentences(short, meta, request, { useCache: true });
    const rows = [...new Set(batches)];
    expect(rows).toEqual([4, 2]); // class and no-class rows, then the class rows alone
    expect(batches.indexOf(2)).toBeGreaterThan(0);
    batches.length = 0;
    const uncached = await sampleSentences(short, meta, request, { useCache: false });
    expect([...new Set(batches)]).toEqual([4, 2]);
    expect(tokensOf(uncached)).toEqual(tokensOf(cached));
    expect(tf.memory().numTensors).toBe(before);
    short.dispose();
  });

  it('guides only the first n bit-planes when guidancePlanes is n, and the rest of the sentence follows the class', async () => {
    const heavy = classHeavyModel(1100);
    const request = (classIndex: number, guidance: number, guidancePlanes?: number) => ({ classIndex, count: 2, startExponent: 0, sampling: { ...sampling, guidance, guidancePlanes }, seed: 4 });
    const before = tf.memory().numTensors;
    // scale 0 on plane 0 only: two classes share their first plane, drawn from the unconditional model
    const [a, b] = [await sampleSentences(heavy, meta, request(0, 0, 1)), await sampleSentences(heavy, meta, request(2, 0, 1))];
    const [freeA] = [await sampleSentences(heavy, meta, request(0, 0))];
    for (let i = 0; i < 2; i++) {
      expect(a[i].complete && valid(a[i])).toBe(true);
      const second = planeStarts(traceSentence(a[i].tokens, 0, corpus.geometry, corpus.tokenizer))[1];
      expect(second).toBeGreaterThan(0);
      const head = (t: Uint8Array) => Array.from(t.subarray(0, second)).join('');
      expect(head(a[i].tokens)).toBe(head(b[i].tokens));
      expect(head(a[i].tokens)).toBe(head(freeA[i].tokens)); // plane 0 drawn exactly as under full scale-0 guidance
    }
    expect(tokensOf(a)).not.toEqual(tokensOf(b)); // past plane 0 the class speaks again
    expect(tokensOf(a)).not.toEqual(tokensOf(freeA));
    // more guided planes than the sentence has, or 0, guide everything; guidance 1 ignores the interval
    expect(tokensOf(await sampleSentences(heavy, meta, request(0, 0, 40)))).toEqual(tokensOf(freeA));
    expect(tokensOf(await sampleSentences(heavy, meta, request(0, 0, 0)))).toEqual(tokensOf(freeA));
    const plain = await sampleSentences(heavy, meta, request(0, 1));
    expect(tokensOf(await sampleSentences(heavy, meta, request(0, 1, 1)))).toEqual(tokensOf(plain));
    expect(tf.memory().numTensors).toBe(before);
    await expect(sampleSentences(heavy, meta, request(0, 2, -1))).rejects.toThrow(/guidancePlanes/);
    await expect(sampleSentences(heavy, meta, request(0, 2, 1.5))).rejects.toThrow(/guidancePlanes/);
    heavy.dispose();
  });
});

describe('regenerateRegion', () => {
  it('changes only coefficients owned by the region; everything outside is exactly the source', async () => {
    const side = 12;
    const source = encodeImage(barImage(1, createPrng(2), side), side, side, TEST_TOKENIZER);
    const mask = new Uint8Array(side * side);
    for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) mask[r * side + c] = 1;
    const out = await regenerateRegion(model, meta, { source, mask, selection: 'contained', classIndex: 1, regionClass: 2, count: 2, sampling: { temperature: 1.5, topK: 0, topP: 1 }, seed: 4 });
    const owned = regionCoefficients(mask, side, side, corpus.geometry, 'haar', 'contained');
    const src = decodeSentence(source.tokens, source.startExponent, corpus.geometry, corpus.tokenizer).coefficients;
    for (const s of out) {
      expect(valid(s)).toBe(true);
      const got = decodeSentence(s.tokens, s.startExponent, corpus.geometry, corpus.tokenizer).coefficients;
      for (let i = 0; i < got.length; i++) if (!owned[i]) expect(got[i]).toBe(src[i]);
    }
    expect(out.some((s) => Array.from(s.tokens).join() !== Array.from(source.tokens).join())).toBe(true);
  });
});
