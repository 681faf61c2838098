/**
 * Golden test against a PyTorch twin (scripts/make-torch-fixture.py): the same fixed
 * weights, loaded by variable name into createGpt's model, and the same input features
 * give the twin's logits to 1e-4, both for the full forward pass and for the KV-cached
 * path (one position at a time, and a primed prefix followed by single steps). This pins
 * the feature width, pre-LN blocks, fused QKV split, head layout, GELU variant, final
 * LayerNorm and head; the variable-name check pins the weight names the fixture uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateModelConfig } from '../../../src/core/model/config';
import { featureLayout } from '../../../src/core/model/features';
import { createGpt, disposeCache, VOCAB, type Gpt, type KvCache } from '../../../src/core/model/gpt';
import { assignVariables } from '../../../src/core/model/weights';

interface Fixture {
  config: Record<string, unknown>;
  featureSize: number;
  weights: { name: string; shape: number[]; data: number[] }[];
  features: { shape: [number, number, number]; data: number[] };
  logits: { shape: [number, number, number]; data: number[] };
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'model', 'torch-forward.json'), 'utf8')) as Fixture;
const [B, T, F] = fixture.features.shape;
const TOLERANCE = 1e-4;

/** Expected logits of positions [from, to) as a flat [B, to - from, 7] array. */
function expectedSlice(from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) out.push(...fixture.logits.data.slice((b * T + from) * VOCAB, (b * T + to) * VOCAB));
  return out;
}

function maxDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

/** Runs positions [from, to) on top of `cache`; returns their logits and the new cache. */
function runSpan(model: Gpt, features: tf.Tensor3D, from: number, to: number, cache: KvCache | null): { logits: Float32Array; cache: KvCache } {
  const x = features.slice([0, from, 0], [B, to - from, F]) as tf.Tensor3D;
  const out = model.run(x, cache);
  const logits = out.logits.dataSync() as Float32Array;
  tf.dispose([x, out.logits]);
  disposeCache(cache);
  return { logits, cache: out.cache };
}

let model: Gpt;
let features: tf.Tensor3D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createGpt(validateModelConfig(fixture.config));
  assignVariables(model, fixture.weights.map((w) => ({ name: w.name, shape: w.shape, data: Float32Array.from(w.data) })));
  features = tf.tensor3d(Float32Array.from(fixture.features.data), fixture.features.shape);
});

describe('PyTorch twin parity', () => {
  it('has the same feature width and exactly the same variable names and shapes', () => {
    expect(featureLayout(model.config).size).toBe(fixture.featureSize);
    const ours = model.variables.map((v) => `${v.name} [${v.variable.shape.join(',')}]`).sort();
    expect(ours).toEqual(fixture.weights.map((w) => `${w.name} [${w.shape.join(',')}]`).sort());
  });

  it('gives the twin logits for the full forward pass (and they are far from trivial)', () => {
    const { logits, cache } = runSpan(model, features, 0, T, null);
    disposeCache(cache);
    expect(maxDiff(logits, fixture.logits.data)).toBeLessThan(TOLERANCE);
    const spread = Math.max(...fixture.logits.data) - Math.min(...fixture.logits.data);
    expect(spread).toBeGreaterThan(2);
  });

  it('gives the twin logits through the KV cache, one position at a time', () => {
    let cache: KvCache | null = null;
    for (let t = 0; t < T; t++) {
      const step = runSpan(model, features, t, t + 1, cache);
      cache = step.cache;
      expect(maxDiff(step.logits, expectedSlice(t, t + 1)), `position ${t}`).toBeLessThan(TOLERANCE);
    }
    disposeCache(cache);
  });

  it('gives the twin logits after priming a prefix, then cached steps', () => {
    const primed = runSpan(model, features, 0, 3, null);
    expect(maxDiff(primed.logits, expectedSlice(0, 3))).toBeLessThan(TOLERANCE);
    let cache: KvCache = primed.cache;
    for (let t = 3; t < T; t++) {
      const step = runSpan(model, features, t, t + 1, cache);
      cache = step.cache;
      expect(maxDiff(step.logits, expectedSlice(t, t + 1)), `position ${t}`).toBeLessThan(TOLERANCE);
    }
    disposeCache(cache);
  });
});
