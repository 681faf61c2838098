/**
 * At the boundaries, editing a region with a zerotree-variant model is a BAD_REQUEST whose
 * message says region editing needs the blocks variant: the `edit` CLI command (before any
 * sampling) and the edit job handler (the API path), never a bare RangeError.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, geometryFor, REGION_VARIANT_MESSAGE, type TokenizerConfig } from '../../../src/core/language';
import { createGpt } from '../../../src/core/model/gpt';
import { createPrng } from '../../../src/core/model/prng';
import { readVariables } from '../../../src/core/model/weights';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/core/train/config';
import { saveCheckpoint } from '../../../src/node/runs/checkpoint';
import { StudioError } from '../../../src/shared/result';
import { handler as editJob } from '../../../src/worker/jobs/edit';
import { barImage, tinyConfig } from '../../core/model/synthetic';

const ZEROTREE: TokenizerConfig = { wavelet: 'haar', finalExponent: -2, variant: 'zerotree' };
let root: string;
let workspace: string;
let modelDir: string;
const image = barImage(1, createPrng(3));

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(join(tmpdir(), 'ws-edit-variant-'));
  workspace = join(root, 'ws');
  modelDir = join(workspace, 'models', 'zt');
  await fs.mkdir(modelDir, { recursive: true });
  const model = createGpt(tinyConfig());
  await saveCheckpoint(modelDir, {
    step: 1, rng: [1, 2, 3, 4], wallSec: 0, optimizerUpdates: 0, model: model.config, train: { ...DEFAULT_TRAIN_CONFIG }, tokenizer: ZEROTREE,
    geometry: geometryFor(12, 12), datasetId: 'bars', classes: ['a', 'b', 'c'], stats: [0, 1, 2].map(() => ({ startExponents: { '0': 1 } })), params: model.params,
  }, readVariables(model), []);
  model.dispose();
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function expectVariantError(run: Promise<unknown>): Promise<void> {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StudioError);
  expect((error as StudioError).code).toBe('BAD_REQUEST');
  expect((error as StudioError).message).toContain(REGION_VARIANT_MESSAGE);
}

describe('region editing with a zerotree model', () => {
  it('is a BAD_REQUEST from the edit CLI command', async () => {
    const png = (pixels: Uint8Array): Promise<Buffer> => sharp(Buffer.from(pixels), { raw: { width: 12, height: 12, channels: 1 } }).png().toBuffer();
    await fs.writeFile(join(root, 'in.png'), await png(image));
    await fs.writeFile(join(root, 'mask.png'), await png(new Uint8Array(144).fill(255, 0, 48)));
    const { command } = await import('../../../src/cli/commands/edit');
    await expectVariantError(command.run(['--model', modelDir, '--image', join(root, 'in.png'), '--mask', join(root, 'mask.png'), '--out', join(root, 'out'), '--backend', 'cpu']));
  });

  it('is a BAD_REQUEST from the edit job (the API path)', async () => {
    const source = encodeImage(image, 12, 12, ZEROTREE);
    const request = { modelId: 'zt', source: { tokens: Array.from(source.tokens), startExponent: source.startExponent }, mask: { width: 12, height: 12, bits: '1'.repeat(48) + '0'.repeat(96) }, classIndex: 0, count: 1 };
    const ctx = { workspace, emit: () => undefined, signal: new AbortController().signal, pauseGate: async () => undefined, backend: 'cpu' as const };
    await expectVariantError(editJob(request, ctx));
  });
});
