/**
 * The real engine path: a tiny GPT saved as a run checkpoint opens for evaluation,
 * samples class-conditional sentences that decode, scores test sentences into finite
 * bits per image, and a whole evaluation of it runs and releases every tensor.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometryFor } from '../../../src/core/language/geometry';
import { validateModelConfig } from '../../../src/core/model/config';
import { createGpt } from '../../../src/core/model/gpt';
import { createPrng } from '../../../src/core/model/prng';
import { readVariables } from '../../../src/core/model/weights';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/core/train/config';
import { ensureEvalBackend } from '../../../src/node/eval/backend';
import { openModelForEval } from '../../../src/node/eval/engine-model';
import { evaluateModel } from '../../../src/node/eval/run-eval';
import { saveCheckpoint } from '../../../src/node/runs/checkpoint';

let runDir: string;

beforeAll(async () => {
  await ensureEvalBackend();
  runDir = await fs.mkdtemp(join(tmpdir(), 'ws-engine-'));
  const model = validateModelConfig({ layers: 1, width: 16, heads: 2, context: 48, seed: 2 });
  const gpt = createGpt(model);
  const stats = Array.from({ length: 10 }, () => ({ startExponents: { '7': 3, '6': 1 } }));
  await saveCheckpoint(runDir, {
    step: 7, rng: createPrng(1).state(), wallSec: 1, optimizerUpdates: 7, model, train: { ...DEFAULT_TRAIN_CONFIG },
    tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' }, geometry: geometryFor(28, 28),
    datasetId: 'mnist', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], stats, params: gpt.params,
  }, readVariables(gpt), []);
  gpt.dispose();
});

afterAll(async () => {
  await fs.rm(runDir, { recursive: true, force: true });
});

describe('openModelForEval', () => {
  it('samples, scores and evaluates a checkpointed model without leaking tensors', async () => {
    const tensors = tf.memory().numTensors;
    const opened = await openModelForEval(runDir);
    expect(opened.model.step).toBe(7);
    const sampled = await opened.model.generate(4, 3, 11);
    expect(sampled.map((s) => s.classIndex)).toEqual([4, 4, 4]);
    expect(sampled.every((s) => s.tokens.length > 0 && s.tokens.length <= 48)).toBe(true);
    const again = await opened.model.generate(4, 3, 11);
    expect(Array.from(again[1].tokens)).toEqual(Array.from(sampled[1].tokens)); // same seed, same sentence
    const report = await evaluateModel(opened.model, { samples: 10, seed: 0, bitsImages: 50, chunk: 5 });
    expect(report.consistency?.count).toBe(10);
    expect(report.bits).toBeNull(); // every real sentence is longer than this model's 48-token context
    expect(report.notes.join('\n')).toMatch(/50 test sentences longer than the model context \(48\)/);
    expect(report.timing.tokensPerSec).toBeGreaterThan(0);
    opened.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('reports a folder without a checkpoint as NOT_FOUND', async () => {
    await expect(openModelForEval(tmpdir())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
