/**
 * What the UX tests share: an MNIST-shaped dataset and model summary, and a synthetic
 * digit coded under the same tokenizer, an edit result, and the Sampler with a job started.
 * Used by: test/renderer/ux.test.ts, ux-followup.test.ts.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Pinia } from 'pinia';
import { encodeImage } from '../../src/core/language';
import { setApi } from '../../src/renderer/api';
import SamplerView from '../../src/renderer/views/SamplerView.vue';
import { createFakeApi, type FakeApi } from './fake-api';
import type { DatasetSummary, ModelSummary } from '../../src/shared/dto';

export const TOKENIZER = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;
export const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const MNIST: DatasetSummary = {
  id: 'mnist', name: 'MNIST', builtin: true, classes: CLASSES, width: 28, height: 28,
  counts: { train: 60000, test: 10000 }, source: 'builtin', contentHash: 'x', defaultTokenizer: TOKENIZER, notes: [],
};
export const MODEL: ModelSummary = { modelId: 'm1', source: 'starter', datasetId: 'mnist', classes: CLASSES, tokenizer: TOKENIZER, width: 28, height: 28, size: 32, params: 1000, step: 10, classDropout: 0 };

/** A vertical bar on a background of `fill`, with its sentence. */
export function digit(fill = 0): { pixels: Uint8Array; tokens: Uint8Array; startExponent: number } {
  const pixels = new Uint8Array(28 * 28).map((_, i) => ((i % 28) > 10 && (i % 28) < 16 ? 200 : fill));
  const e = encodeImage(pixels, 28, 28, TOKENIZER);
  return { pixels, tokens: e.tokens, startExponent: e.startExponent };
}

/** An edit job's result sentence: a flat image of `fill`, as the job reports it. */
export function editSentence(fill: number): { tokens: number[]; startExponent: number; classIndex: number; seed: number; size: number; width: number; height: number } {
  const e = encodeImage(new Uint8Array(28 * 28).fill(fill), 28, 28, TOKENIZER);
  return { tokens: Array.from(e.tokens), startExponent: e.startExponent, classIndex: 1, seed: 0, size: 32, width: 28, height: 28 };
}

/** The Sampler view on MODEL after one click on Generate: job 's1' started, no tokens yet. */
export async function samplerGenerating(pinia: Pinia): Promise<{ fake: FakeApi; wrapper: VueWrapper }> {
  const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.list': () => [], 'jobs.sample': () => ({ jobId: 's1', kind: 'sample' }) });
  setApi(fake.api);
  const wrapper = mount(SamplerView, { global: { plugins: [pinia] } });
  await flushPromises();
  await wrapper.get('[data-testid="sample-generate"]').trigger('click');
  await flushPromises();
  return { fake, wrapper };
}
