/**
 * The generic trainer on the tiny transformer: loss falls on a small overfit set, a step
 * leaks no tensors, a run resumed from a snapshot continues the step count and the RNG and
 * ends with the same weights as an uninterrupted run, the NaN guard stops before a bad
 * update, cancel writes a final checkpoint, the schedule and config validation, class
 * dropout (training sentences fed without their class, validation always with it), and the
 * moving average of the weights (validated, checkpointed, and resumed exactly).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGpt } from '../../../src/core/model/gpt';
import { createPrng } from '../../../src/core/model/prng';
import { createGptTrainTask } from '../../../src/core/model/train-task';
import { readVariables } from '../../../src/core/model/weights';
import { validateTrainConfig } from '../../../src/core/train/config';
import { learningRateAt } from '../../../src/core/train/schedule';
import { NonFiniteLossError, train, validationLoss, type TrainerSnapshot, type TrainEvent } from '../../../src/core/train/trainer';
import { syntheticCorpus, tinyConfig, useWasmBackend } from '../model/synthetic';

beforeAll(async () => {
  await useWasmBackend();
});

const corpus = syntheticCorpus(12);
const config = (over: Record<string, number> = {}) =>
  validateTrainConfig({ steps: 4, batchSize: 4, microBatch: 2, warmupSteps: 2, evalEvery: 0, checkpointEvery: 100, galleryEvery: 0, learningRate: 3e-3, metricsEvery: 1, valSentences: 6, ...over });
const taskFor = (model: ReturnType<typeof createGpt>, c = config()) => createGptTrainTask(model, corpus, null, { ...c, seed: 1 });

describe('train', () => {
  it('lowers the validation loss on a small overfit set', async () => {
    const model = createGpt(tinyConfig());
    const c = config({ steps: 30, batchSize: 6, microBatch: 6 });
    const task = taskFor(model, c);
    const before = validationLoss(task);
    await train(task, c, { step: 0 }, { saveCheckpoint: async () => {} });
    expect(validationLoss(task)).toBeLessThan(before * 0.7);
    model.dispose();
  });

  it('leaves the tensor count unchanged across optimizer steps', async () => {
    const model = createGpt(tinyConfig());
    const task = taskFor(model);
    const counts: number[] = [];
    await train(task, config({ steps: 3 }), { step: 0 }, { saveCheckpoint: async () => {}, onEvent: (e) => e.type === 'step' && counts.push(tf.memory().numTensors) });
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  });

  it('resumes from a snapshot with the same step count, RNG and final weights', async () => {
    const straight = createGpt(tinyConfig());
    await train(taskFor(straight), config(), { step: 0 }, { saveCheckpoint: async () => {} });
    const resumed = createGpt(tinyConfig());
    let saved: TrainerSnapshot | null = null;
    await train(taskFor(resumed), config({ steps: 2 }), { step: 0 }, { saveCheckpoint: async (s) => void (saved = s) });
    expect(saved!.step).toBe(2);
    const steps: number[] = [];
    await train(taskFor(resumed), config(), { step: saved!.step, rng: saved!.rng, optimizer: saved!.optimizer }, {
      saveCheckpoint: async () => {}, onEvent: (e: TrainEvent) => e.type === 'step' && steps.push(e.step),
    });
    expect(steps).toEqual([3, 4]);
    const a = readVariables(straight);
    const b = readVariables(resumed);
    const maxDiff = Math.max(...a.map((w, i) => Math.max(...w.data.map((v, j) => Math.abs(v - b[i].data[j])))));
    expect(maxDiff).toBeLessThan(1e-5);
    straight.dispose();
    resumed.dispose();
  });

  it('stops with NAN_LOSS before applying a non-finite update', async () => {
    const model = createGpt(tinyConfig());
    const task = taskFor(model);
    const poisoned = { ...task, loss: (b: Parameters<typeof task.loss>[0]) => tf.tidy(() => task.loss(b).mul(NaN)) as tf.Scalar };
    const before = readVariables(model);
    const error = await train(poisoned, config(), { step: 0 }, { saveCheckpoint: async () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).code).toBe('NAN_LOSS');
    expect(readVariables(model)[0].data).toEqual(before[0].data);
    model.dispose();
  });

  it('keeps a moving average of the weights: validated beside them, in every snapshot, resumed exactly', async () => {
    const withEma = (over: Record<string, number> = {}) => config({ emaDecay: 0.9, evalEvery: 2, ...over });
    const straight = createGpt(tinyConfig());
    const metrics: Extract<TrainEvent, { type: 'metrics' }>[] = [];
    let last: TrainerSnapshot | null = null;
    await train(taskFor(straight), withEma(), { step: 0 }, { saveCheckpoint: async (s) => void (last = s), onEvent: (e) => e.type === 'metrics' && metrics.push(e) });
    const validated = metrics.filter((m) => m.valLoss !== undefined);
    expect(validated.map((m) => m.step)).toEqual([2, 4]);
    for (const m of validated) {
      expect(Number.isFinite(m.emaValLoss)).toBe(true);
      expect(m.emaValLoss).not.toBeCloseTo(m.valLoss!, 6); // the average is not the trained weights
    }
    expect(metrics.filter((m) => m.valLoss === undefined).every((m) => m.emaValLoss === undefined)).toBe(true);
    expect(last!.ema!.updates).toBe(4);
    // the average differs from the trained weights, which withAverage restored after validation
    const trained = readVariables(straight);
    expect(last!.ema!.arrays.map((a) => a.name)).toEqual(trained.map((w) => w.name));
    expect(Math.max(...trained[0].data.map((v, j) => Math.abs(v - last!.ema!.arrays[0].data[j])))).toBeGreaterThan(1e-6);

    const resumed = createGpt(tinyConfig());
    let half: TrainerSnapshot | null = null;
    await train(taskFor(resumed), withEma({ steps: 2 }), { step: 0 }, { saveCheckpoint: async (s) => void (half = s) });
    let end: TrainerSnapshot | null = null;
    await train(taskFor(resumed), withEma(), { step: 2, rng: half!.rng, optimizer: half!.optimizer, ema: half!.ema }, { saveCheckpoint: async (s) => void (end = s) });
    expect(end!.ema!.updates).toBe(4);
    const diff = Math.max(...last!.ema!.arrays.map((a, i) => Math.max(...a.data.map((v, j) => Math.abs(v - end!.ema!.arrays[i].data[j])))));
    expect(diff).toBeLessThan(1e-5);
    // without emaDecay no average is kept
    let plain: TrainerSnapshot | null = null;
    await train(taskFor(resumed), config({ steps: 1 }), { step: 0 }, { saveCheckpoint: async (s) => void (plain = s) });
    expect(plain!.ema).toBeUndefined();
    straight.dispose();
    resumed.dispose();
  });

  it('writes a checkpoint and returns when cancelled', async () => {
    const model = createGpt(tinyConfig());
    const controller = new AbortController();
    const saved: number[] = [];
    const outcome = await train(taskFor(model), config({ steps: 50 }), { step: 0 }, {
      signal: controller.signal,
      saveCheckpoint: async (s) => void saved.push(s.step),
      onEvent: (e) => e.type === 'step' && e.step === 2 && controller.abort(),
    });
    expect(outcome).toMatchObject({ reason: 'cancelled', step: 2 });
    expect(saved).toEqual([2]);
    model.dispose();
  });
});

describe('schedule and config', () => {
  it('warms up linearly, peaks, and decays by cosine to the floor', () => {
    const c = { learningRate: 1, minLearningRateRatio: 0.1, warmupSteps: 10, steps: 110 };
    expect(learningRateAt(0, c)).toBeCloseTo(0.1);
    expect(learningRateAt(10, c)).toBeCloseTo(1);
    expect(learningRateAt(60, c)).toBeCloseTo(0.55);
    expect(learningRateAt(110, c)).toBeCloseTo(0.1);
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => validateTrainConfig({ stepz: 3 })).toThrow(/unknown train config key/);
    expect(() => validateTrainConfig({ beta1: 1 })).toThrow(/beta1/);
    expect(() => validateTrainConfig({ batchSize: 0 })).toThrow(/at least 1/);
    expect(() => validateTrainConfig({ classDropout: 1 })).toThrow(/classDropout/);
    expect(() => validateTrainConfig({ classDropout: -0.1 })).toThrow(/classDropout/);
    expect(validateTrainConfig({ classDropout: 0.1 }).classDropout).toBe(0.1);
    expect(() => validateTrainConfig({ emaDecay: 1 })).toThrow(/emaDecay/);
    expect(() => validateTrainConfig({ emaDecay: -0.5 })).toThrow(/emaDecay/);
    expect(validateTrainConfig({}).emaDecay).toBe(0);
  });
});

describe('class dropout', () => {
  /** Sentences of 40 drawn steps whose first position carries no class bit. */
  function unconditionalShare(classDropout: number): number {
    const model = createGpt(tinyConfig());
    const task = createGptTrainTask(model, corpus, null, { batchSize: 4, microBatch: 2, valSentences: 4, seed: 1, classDropout });
    const rng = createPrng(9);
    const { classOffset, size } = model.layout;
    let rows = 0;
    let none = 0;
    for (let step = 0; step < 40; step++) {
      for (const batch of task.nextStep(rng)) {
        for (let b = 0; b < batch.batch; b++) {
          const first = b * batch.length * size + classOffset;
          rows++;
          if (batch.features.subarray(first, first + model.config.numClasses).every((v) => v === 0)) none++;
        }
      }
    }
    // the validation set stays conditional whatever the dropout
    for (const batch of task.validation()) expect(batch.features.subarray(classOffset, classOffset + model.config.numClasses).some((v) => v === 1)).toBe(true);
    model.dispose();
    return none / rows;
  }

  it('feeds about the given share of training sentences without their class, and none at 0', () => {
    expect(unconditionalShare(0)).toBe(0);
    const share = unconditionalShare(0.5);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });
});
