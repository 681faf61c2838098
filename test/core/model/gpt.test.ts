/**
 * The transformer: output shapes, no tensor leaks, the KV cache reproduces the uncached
 * logits, paper-mode features, weight round trip through the TensorFlow.js layout, and
 * config validation.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBatch, batchLoss, sentenceLength } from '../../../src/core/model/batch';
import { validateModelConfig } from '../../../src/core/model/config';
import { featureLayout } from '../../../src/core/model/features';
import { createGpt, disposeCache, VOCAB } from '../../../src/core/model/gpt';
import { assignVariables, readVariables } from '../../../src/core/model/weights';
import { decodeWeights, encodeWeights } from '../../../src/core/model/weights-format';
import { syntheticCorpus, tinyConfig } from './synthetic';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createGpt', () => {
  it('maps features [B, T, F] to logits [B, T, 7] and a cache of T positions per layer', () => {
    const model = createGpt(tinyConfig({ layers: 2 }));
    const x = tf.randomNormal([2, 5, model.layout.size]) as tf.Tensor3D;
    const { logits, cache } = model.run(x, null);
    expect(logits.shape).toEqual([2, 5, VOCAB]);
    expect(cache).toHaveLength(2);
    expect(cache[0].k.shape).toEqual([2, 2, 5, 16]);
    tf.dispose([x, logits]);
    disposeCache(cache);
    model.dispose();
  });

  it('leaves the tensor count unchanged after a forward + backward step', () => {
    const model = createGpt(tinyConfig());
    const batch = buildBatch(syntheticCorpus(4), [0, 1, 2, 3], model.config);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => batchLoss(model, batch), model.variables.map((v) => v.variable));
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('gives the same last-position logits with the KV cache as without it', () => {
    const model = createGpt(tinyConfig({ layers: 2 }));
    const x = tf.randomNormal([2, 6, model.layout.size], 0, 1, 'float32', 3) as tf.Tensor3D;
    const full = model.run(x, null);
    let cache = null;
    let last: tf.Tensor3D | null = null;
    for (let t = 0; t < 6; t++) {
      const step = x.slice([0, t, 0], [2, 1, model.layout.size]) as tf.Tensor3D;
      const out = model.run(step, cache);
      disposeCache(cache);
      step.dispose();
      last?.dispose();
      cache = out.cache;
      last = out.logits;
    }
    const expected = full.logits.slice([0, 5, 0], [2, 1, VOCAB]);
    expect(Array.from(last!.dataSync()).map((v, i) => Math.abs(v - expected.dataSync()[i])).every((d) => d < 1e-4)).toBe(true);
    tf.dispose([x, full.logits, expected, last!]);
    disposeCache(full.cache);
    disposeCache(cache);
    model.dispose();
  });

  it('feeds a dropped sentence without its class: the class one-hot is all zero, everything else unchanged', () => {
    const config = tinyConfig();
    const corpus = syntheticCorpus(3);
    const layout = featureLayout(config);
    const kept = buildBatch(corpus, [0, 1, 2], config);
    const dropped = buildBatch(corpus, [0, 1, 2], config, [false, true, false]);
    const F = layout.size;
    const T = kept.length;
    const classBits = (batch: typeof kept, b: number, i: number) => Array.from(batch.features.subarray((b * T + i) * F + layout.classOffset, (b * T + i) * F + layout.classOffset + config.numClasses));
    expect(classBits(kept, 1, 0)).toEqual([0, 1, 0]); // sentence 1 is class 1
    for (let i = 0; i < T; i++) expect(classBits(dropped, 1, i)).toEqual([0, 0, 0]);
    expect(classBits(dropped, 0, 0)).toEqual(classBits(kept, 0, 0));
    const differing = kept.features.reduce((n, v, j) => n + (v !== dropped.features[j] ? 1 : 0), 0);
    expect(differing).toBe(sentenceLength(corpus, 1) > T ? T : sentenceLength(corpus, 1));
    expect(Array.from(dropped.targetWeights)).toEqual(Array.from(kept.targetWeights));
  });

  it('starts near the uniform loss ln 7 and the paper mode has fewer features', () => {
    const config = tinyConfig();
    const model = createGpt(config);
    const batch = buildBatch(syntheticCorpus(3), [0, 1, 2], config);
    const loss = tf.tidy(() => batchLoss(model, batch).dataSync()[0]);
    expect(Math.abs(loss - Math.log(7))).toBeLessThan(0.1);
    expect(featureLayout({ ...config, nextSlotFeatures: false }).size).toBeLessThan(featureLayout(config).size);
    model.dispose();
  });

  it('round-trips its weights through the TensorFlow.js manifest + bin layout', () => {
    const a = createGpt(tinyConfig({ seed: 1 }));
    const b = createGpt(tinyConfig({ seed: 2 }));
    const encoded = encodeWeights(readVariables(a), 'weights.bin');
    expect(encoded.manifest[0].paths).toEqual(['weights.bin']);
    expect(encoded.manifest[0].weights[0]).toEqual({ name: 'input/kernel', shape: [a.layout.size, 32], dtype: 'float32' });
    assignVariables(b, decodeWeights(encoded.manifest, encoded.bin, encoded.checksum));
    const wa = readVariables(a);
    const wb = readVariables(b);
    expect(wb.every((w, i) => w.data.every((v, j) => v === wa[i].data[j]))).toBe(true);
    const torn = encoded.bin.slice(0, encoded.bin.length - 4);
    expect(() => decodeWeights(encoded.manifest, torn)).toThrow(/too short/);
    expect(() => decodeWeights(encoded.manifest, encoded.bin, 'deadbeef')).toThrow(/checksum/);
    a.dispose();
    b.dispose();
  });

  it('validates configs: unknown keys, wrong types, indivisible widths', () => {
    expect(() => validateModelConfig({ layerz: 2 })).toThrow(/unknown model config key "layerz"/);
    expect(() => validateModelConfig({ constructor: 1 })).toThrow(/unknown model config key/);
    expect(() => validateModelConfig({ width: '128' })).toThrow(/must be a number/);
    expect(() => validateModelConfig({ width: 100, heads: 3 })).toThrow(/divisible/);
    expect(validateModelConfig({ layers: 2 }).layers).toBe(2);
  });
});
