/**
 * train --init-from: a new run starts from another model's weights (here one trained on a
 * coarser language of the same dataset), keeps that model's architecture with a larger
 * context allowed, records where it started in config.json, and refuses sources that do
 * not fit (other class count, architecture overrides, a folder without a model). A resumed
 * run continues from its own checkpoint. A run with train.emaDecay keeps the moving average
 * in its checkpoints and resumes it, and sampling (loadModel) and --init-from use the
 * average. In-process on the cpu backend, temp folders only.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVariables } from '../../../src/core/model/weights';
import { loadCheckpoint, modelWeights } from '../../../src/node/runs/checkpoint';
import { loadModel } from '../../../src/node/runs/model-io';
import { readRunConfig } from '../../../src/node/runs/store';
import { StudioError } from '../../../src/shared/result';
import { runTraining, type TrainingOptions } from '../../../src/worker/jobs/train';
import { TEST_TOKENIZER } from '../../core/model/synthetic';
import { writeBarsDataset } from './bars-dataset';

let workspace: string;
const COARSE = { ...TEST_TOKENIZER, finalExponent: 0 };

function options(runDir: string, overrides: Partial<TrainingOptions> = {}): TrainingOptions {
  return {
    workspace, runDir, datasetId: 'bars', tokenizer: TEST_TOKENIZER, preset: 'tiny', seed: 0, backend: 'cpu',
    model: { context: 256 }, train: { steps: 3, learningRate: 0.01, warmupSteps: 1, checkpointEvery: 3, evalEvery: 0, galleryEvery: 0, valSentences: 4 },
    emit: () => undefined, signal: new AbortController().signal, pauseGate: async () => undefined,
    ...overrides,
  };
}

const weightsOf = async (dir: string): Promise<number[][]> => (await loadCheckpoint(dir, { optimizer: false }))!.weights.map((w) => Array.from(w.data));

function maxDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((t, i) => t.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - b[i][j])); }));
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  workspace = await fs.mkdtemp(join(tmpdir(), 'ws-init-from-'));
  await writeBarsDataset(workspace, { seed: 7 });
  await writeBarsDataset(workspace, { id: 'bars4', classes: 4, seed: 7 });
  // the source: trained on the coarse language with a short context
  await runTraining(options(join(workspace, 'coarse'), { tokenizer: COARSE, model: { context: 96 } }));
}, 60_000);

afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

describe('train --init-from', () => {
  it('starts from the source weights on a finer language with a larger context and records the source', async () => {
    const source = await weightsOf(join(workspace, 'coarse'));
    const tinyStep = { steps: 1, learningRate: 1e-9, weightDecay: 0, warmupSteps: 0, checkpointEvery: 1, evalEvery: 0, galleryEvery: 0, valSentences: 4 };
    const fineDir = join(workspace, 'fine');
    const result = await runTraining(options(fineDir, { initFrom: join(workspace, 'coarse'), train: tinyStep }));
    expect(result).toMatchObject({ step: 1, reason: 'completed' });
    const fine = await loadCheckpoint(fineDir, { optimizer: false });
    expect(fine!.state.tokenizer).toEqual(TEST_TOKENIZER);
    expect(fine!.state.model.context).toBe(256);
    expect(maxDifference(await weightsOf(fineDir), source)).toBeLessThan(1e-6); // one step at lr 1e-9
    const config = await readRunConfig(fineDir);
    expect(config?.initFrom).toEqual({ path: join(workspace, 'coarse'), step: 3, tokenizer: COARSE });

    // without --init-from the same settings start from a fresh initialisation, far from the source
    const freshDir = join(workspace, 'fresh');
    await runTraining(options(freshDir, { train: tinyStep }));
    expect(maxDifference(await weightsOf(freshDir), source)).toBeGreaterThan(1e-3);
    expect((await readRunConfig(freshDir))?.initFrom).toBeUndefined();

    // resuming the started run continues from its own checkpoint and keeps the record
    const resumed = await runTraining(options(fineDir, { initFrom: freshDir, train: { steps: 2 } }));
    expect(resumed.step).toBe(2);
    expect((await readRunConfig(fineDir))?.initFrom?.path).toBe(join(workspace, 'coarse'));
  }, 60_000);

  it('refuses a source that does not fit, and leaves no checkpoint behind', async () => {
    const attempts: [Partial<TrainingOptions>, string, RegExp][] = [
      [{ datasetId: 'bars4' }, 'BAD_REQUEST', /3 classes, the dataset has 4/],
      [{ model: { layers: 2, context: 256 } }, 'BAD_REQUEST', /keeps its architecture: layers/],
      [{ initFrom: workspace }, 'NOT_FOUND', /no model to start from/],
    ];
    for (const [i, [overrides, code, message]] of attempts.entries()) {
      const runDir = join(workspace, `refused-${i}`);
      const error = await runTraining(options(runDir, { initFrom: join(workspace, 'coarse'), ...overrides })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioError);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toMatch(message);
      expect(await loadCheckpoint(runDir).catch(() => 'unreadable')).toBeUndefined();
    }
  });

  it('keeps, resumes and uses the moving average of a run with train.emaDecay', async () => {
    const dir = join(workspace, 'averaged');
    const train = { steps: 2, learningRate: 0.01, warmupSteps: 0, emaDecay: 0.9, checkpointEvery: 1, evalEvery: 2, galleryEvery: 0, valSentences: 4 };
    const points: unknown[] = [];
    await runTraining(options(dir, { train, emit: (e) => e.type === 'metrics' && points.push(e.point) }));
    expect(points).toContainEqual(expect.objectContaining({ step: 2, valLoss: expect.any(Number), emaValLoss: expect.any(Number) }));
    const first = await loadCheckpoint(dir);
    expect(first!.state.emaUpdates).toBe(2);
    expect(first!.ema.map((a) => a.name)).toEqual(first!.weights.map((a) => a.name));
    expect(maxDifference(first!.ema.map((a) => Array.from(a.data)), first!.weights.map((a) => Array.from(a.data)))).toBeGreaterThan(1e-5);
    expect(modelWeights(first!)).toBe(first!.ema);

    // sampling loads the average, not the last step's weights
    const loaded = await loadModel(dir);
    expect(maxDifference(readVariables(loaded.model).map((w) => Array.from(w.data)), first!.ema.map((a) => Array.from(a.data)))).toBeLessThan(1e-7);
    loaded.model.dispose();

    // resuming continues the average; the metrics file records it
    await runTraining(options(dir, { train: { ...train, steps: 3 } }));
    expect((await loadCheckpoint(dir))!.state.emaUpdates).toBe(3);
    expect(await fs.readFile(join(dir, 'metrics.jsonl'), 'utf8')).toMatch(/"emaValLoss":/);

    // a run started from it starts from the average (one step at lr 1e-9)
    const average = (await loadCheckpoint(dir))!.ema.map((a) => Array.from(a.data));
    const child = join(workspace, 'from-averaged');
    await runTraining(options(child, { initFrom: dir, train: { steps: 1, learningRate: 1e-9, weightDecay: 0, warmupSteps: 0, checkpointEvery: 1, evalEvery: 0, galleryEvery: 0, valSentences: 4 } }));
    expect(maxDifference(await weightsOf(child), average)).toBeLessThan(1e-6);

    // a run trained without an average may start one when resumed: it starts at the resumed weights
    const late = join(workspace, 'late-average');
    const plain = { ...train, emaDecay: 0 };
    await runTraining(options(late, { train: plain }));
    expect((await loadCheckpoint(late))!.ema).toEqual([]);
    await runTraining(options(late, { train: { ...plain, steps: 3, emaDecay: 0.9 } }));
    const resumedLate = await loadCheckpoint(late);
    expect(resumedLate!.state.train.emaDecay).toBe(0.9);
    expect(resumedLate!.state.emaUpdates).toBe(1);
    expect(resumedLate!.ema).toHaveLength(resumedLate!.weights.length);

    // a damaged average fails its checksum like any other file: the previous checkpoint loads
    const bin = join(dir, 'checkpoint', 'ema.bin');
    const bytes = await fs.readFile(bin);
    bytes[3] ^= 0xff;
    await fs.writeFile(bin, bytes);
    expect((await loadCheckpoint(dir))!.from).toMatch(/checkpoint\.prev$/);
  }, 60_000);
});
