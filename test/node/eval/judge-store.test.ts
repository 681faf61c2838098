/**
 * Judges on disk: the shipped MNIST and Fashion judges load, pass their hash check and
 * classify 500 test images well; a saved judge reloads to identical predictions; a judge
 * whose weights were altered is refused with BAD_FILE; bad IDX bytes are refused.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJudge, judgeImages, validateJudgeConfig } from '../../../src/core/eval/judge';
import { judgeAccuracy } from '../../../src/core/eval/judge-train';
import { ensureEvalBackend } from '../../../src/node/eval/backend';
import { loadBuiltinImages, parseIdx, subsetOf } from '../../../src/node/eval/builtin-images';
import { loadJudge, saveJudge, shippedJudgeDir } from '../../../src/node/eval/judge-store';

let dir: string;

beforeAll(async () => {
  await ensureEvalBackend();
  dir = await fs.mkdtemp(join(tmpdir(), 'ws-judge-'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('shipped judges', () => {
  it('the MNIST judge classifies > 95% of 500 test images', async () => {
    const { model, meta } = await loadJudge(shippedJudgeDir('mnist'));
    expect(meta.datasetId).toBe('mnist');
    expect(meta.testAccuracy).toBeGreaterThan(0.97);
    const test = subsetOf(await loadBuiltinImages('mnist', 'test'), 500, 0);
    expect(await judgeAccuracy(model, test)).toBeGreaterThan(0.95);
    model.dispose();
  });

  it('the Fashion-MNIST judge classifies > 85% of 500 test images', async () => {
    const { model, meta } = await loadJudge(shippedJudgeDir('fashion-mnist'));
    expect(meta.classes[9]).toBe('Ankle boot');
    const test = subsetOf(await loadBuiltinImages('fashion-mnist', 'test'), 500, 0);
    expect(await judgeAccuracy(model, test)).toBeGreaterThan(0.85);
    model.dispose();
  });
});

describe('saveJudge / loadJudge', () => {
  it('round-trips to identical predictions and refuses altered weights', async () => {
    const config = validateJudgeConfig({ featureDim: 8, seed: 4 });
    const judge = createJudge(config);
    const out = join(dir, 'tiny');
    const meta = await saveJudge(judge, out, {
      datasetId: 'mnist', classes: ['0'], config, testAccuracy: 0, testCount: 0, trainCount: 0, epochs: 0, seed: 4, command: 'test', trainedAt: 'now',
    });
    expect(meta.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const images = subsetOf(await loadBuiltinImages('mnist', 'test'), 20, 1);
    const before = await judgeImages(judge, images);
    const loaded = await loadJudge(out);
    const after = await judgeImages(loaded.model, images);
    expect(Array.from(after.features)).toEqual(Array.from(before.features));
    loaded.model.dispose();
    judge.dispose();

    const weights = new Uint8Array(await fs.readFile(join(out, 'weights.bin')));
    weights[17] ^= 1;
    await fs.writeFile(join(out, 'weights.bin'), weights);
    await expect(loadJudge(out)).rejects.toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(/content hash/) });
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });

  it('reports a missing judge as NOT_FOUND', async () => {
    await expect(loadJudge(join(dir, 'none'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('parseIdx', () => {
  it('refuses a wrong magic number and a wrong length', () => {
    const header = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3]);
    expect(parseIdx(Uint8Array.from([...header, 1, 2, 3]), 'x', 1).data.length).toBe(3);
    expect(() => parseIdx(Uint8Array.from([...header, 1, 2]), 'x', 1)).toThrow(/expected 11 bytes, found 10/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1, 0]), 'x', 1)).toThrow(/not an IDX file/);
  });
});
