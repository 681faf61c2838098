/**
 * Run checkpoints on disk: round trip of weights, optimizer state, step and RNG; a torn or
 * corrupt newest checkpoint falls back to the previous one; a writer killed mid-write
 * (a left-over temp folder) leaves the last checkpoint loadable; a run resumed through
 * the train job continues its step count.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateModelConfig } from '../../../src/core/model/config';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/core/train/config';
import { loadCheckpoint, saveCheckpoint, type CheckpointState } from '../../../src/node/runs/checkpoint';
import { loadModel } from '../../../src/node/runs/model-io';
import { createGpt } from '../../../src/core/model/gpt';
import { readVariables } from '../../../src/core/model/weights';
import { TEST_TOKENIZER } from '../../core/model/synthetic';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(join(tmpdir(), 'ws-ckpt-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const modelConfig = validateModelConfig({ layers: 1, width: 16, heads: 2, context: 64, numClasses: 2, positionFrequencies: 1 });
const stateAt = (step: number): Omit<CheckpointState, 'checksums' | 'schemaVersion' | 'savedAt'> => ({
  step, rng: [1, 2, 3, step], wallSec: step * 1.5, optimizerUpdates: step, model: modelConfig, train: { ...DEFAULT_TRAIN_CONFIG },
  tokenizer: TEST_TOKENIZER, geometry: { width: 8, height: 8, size: 8, top: 0, left: 0 }, datasetId: 'toy', classes: ['a', 'b'],
  stats: [{ startExponents: { '0': 3 } }, { startExponents: { '1': 2 } }], params: 1,
});
const optimizerArrays = (v: number) => [{ name: 'x/m', shape: [2], data: Float32Array.of(v, v) }];

describe('checkpoints', () => {
  it('round-trips weights, optimizer state, step and RNG, and loads as a model', async () => {
    const dir = join(root, 'a');
    await fs.mkdir(dir);
    const model = createGpt(modelConfig);
    await saveCheckpoint(dir, stateAt(7), readVariables(model), optimizerArrays(7));
    const loaded = await loadCheckpoint(dir);
    expect(loaded!.state.step).toBe(7);
    expect(loaded!.state.rng).toEqual([1, 2, 3, 7]);
    expect(Array.from(loaded!.optimizer[0].data)).toEqual([7, 7]);
    const again = await loadModel(dir);
    expect(readVariables(again.model)[0].data).toEqual(readVariables(model)[0].data);
    expect(again.meta.classes).toEqual(['a', 'b']);
    model.dispose();
    again.model.dispose();
  });

  it('falls back to the previous checkpoint when the newest is corrupt, and ignores a killed writer', async () => {
    const dir = join(root, 'b');
    await fs.mkdir(dir);
    const model = createGpt(modelConfig);
    await saveCheckpoint(dir, stateAt(1), readVariables(model), optimizerArrays(1));
    await saveCheckpoint(dir, stateAt(2), readVariables(model), optimizerArrays(2));
    // A writer killed mid-write leaves a temp folder with a partial file.
    await fs.mkdir(join(dir, 'checkpoint.tmp-dead'));
    await fs.writeFile(join(dir, 'checkpoint.tmp-dead', 'weights.bin'), 'partial');
    expect((await loadCheckpoint(dir))!.state.step).toBe(2);
    // Flip bytes in the newest weights: its checksum fails, the previous one loads.
    const bin = join(dir, 'checkpoint', 'weights.bin');
    const bytes = await fs.readFile(bin);
    bytes[10] ^= 0xff;
    await fs.writeFile(bin, bytes);
    const loaded = await loadCheckpoint(dir);
    expect(loaded!.state.step).toBe(1);
    expect(loaded!.from).toMatch(/checkpoint\.prev$/);
    // Killed between the two renames: only checkpoint.prev exists.
    await fs.rm(join(dir, 'checkpoint'), { recursive: true });
    expect((await loadCheckpoint(dir))!.state.step).toBe(1);
    model.dispose();
  });

  it('reports BAD_FILE when every checkpoint is broken and undefined when there is none', async () => {
    const dir = join(root, 'c');
    await fs.mkdir(join(dir, 'checkpoint'), { recursive: true });
    await fs.writeFile(join(dir, 'checkpoint', 'state.json'), '{"schemaVersion": 1, trunc');
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({ code: 'BAD_FILE' });
    expect(await loadCheckpoint(join(root, 'empty'))).toBeUndefined();
  });
});
