/**
 * Region regeneration with a zerotree-variant model is refused up front with a clear
 * RangeError ("region editing needs the blocks variant"), which the API and CLI boundaries
 * turn into BAD_REQUEST; the blocks variant is still accepted.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, geometryFor, REGION_VARIANT_MESSAGE, type TokenizerConfig } from '../../../src/core/language';
import { createGpt } from '../../../src/core/model/gpt';
import { createPrng } from '../../../src/core/model/prng';
import { regenerateRegion, type ModelMeta } from '../../../src/core/sample/sampler';
import { barImage, tinyConfig } from '../model/synthetic';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function requestFor(tokenizer: TokenizerConfig): { meta: ModelMeta; request: Parameters<typeof regenerateRegion>[2] } {
  const source = encodeImage(barImage(0, createPrng(1)), 12, 12, tokenizer);
  const mask = new Uint8Array(144).fill(1, 0, 36);
  return {
    meta: { tokenizer, geometry: geometryFor(12, 12), classes: ['a', 'b', 'c'], stats: [] },
    request: { source, mask, selection: 'touching', classIndex: 0, count: 1, sampling: { temperature: 0, topK: 0, topP: 1 }, seed: 0 },
  };
}

describe('region regeneration and the coder variant', () => {
  it('refuses the zerotree variant with a message naming the blocks variant', async () => {
    const model = createGpt(tinyConfig());
    const { meta, request } = requestFor({ wavelet: 'haar', finalExponent: -2, variant: 'zerotree' });
    const error = await regenerateRegion(model, meta, request).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(REGION_VARIANT_MESSAGE);
    expect((error as Error).message).toContain('zerotree');
    model.dispose();
  });

  it('accepts the blocks variant (the check does not refuse everything)', async () => {
    const model = createGpt(tinyConfig());
    const { meta, request } = requestFor({ wavelet: 'haar', finalExponent: -2, variant: 'blocks' });
    const [out] = await regenerateRegion(model, meta, request);
    expect(out.complete).toBe(true);
    model.dispose();
  });
});
