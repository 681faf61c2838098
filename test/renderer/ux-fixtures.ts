/**
 * What the UX tests share: an MNIST-shaped dataset and model summary, and a synthetic
 * digit coded under the same tokenizer, an edit result, the Sampler with a job started, a
 * stored run and a live training job's snapshot, and requests held in flight.
 * Used by: test/renderer/ux.test.ts, ux-followup.test.ts, training-follow.test.ts.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Pinia } from 'pinia';
import { encodeImage } from '../../src/core/language';
import { setApi } from '../../src/renderer/api';
import SamplerView from '../../src/renderer/views/SamplerView.vue';
import { createFakeApi, type FakeApi } from './fake-api';
import type { DatasetSummary, JobSnapshot, ModelSummary, RunDetail } from '../../src/shared/dto';

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

/** A handler whose answers wait until the test releases them (a request still in flight); later ones answer at once. */
export function deferred<T>(value: T): { handler: () => Promise<T>; release: () => void } {
  let released = false;
  let waiting: (() => void)[] = [];
  return {
    handler: () => (released ? Promise.resolve(value) : new Promise<T>((resolve) => waiting.push(() => resolve(value)))),
    release: () => {
      released = true;
      waiting.forEach((r) => r());
      waiting = [];
    },
  };
}

/** A run on disk at `step` of 20, its stored curve one point per step up to there, losing `loss` at each. */
export function storedRun(runId: string, step: number, loss = 3): RunDetail {
  return {
    runId, datasetId: 'mnist', preset: 'tiny', step, totalSteps: 20, updatedAt: step, hasCheckpoint: true, config: {},
    metrics: Array.from({ length: step }, (_, i) => ({ step: i + 1, trainLoss: loss, wallSec: i })), gallery: [],
  };
}

/** A training job 't1' running on `runId`, as jobs.list reports it after a reload: `points` metric points done. */
export function liveTraining(runId: string, points: number): JobSnapshot {
  return {
    jobId: 't1', kind: 'train', state: 'running', startedAt: 1, backend: 'cpu', lastProgress: { done: points, total: 20 },
    metrics: Array.from({ length: points }, (_, i) => ({ step: i + 1, trainLoss: 1, wallSec: i })), request: { runId },
  };
}

/** A flat `width` x `height` image of `fill` to open in the region editor. */
export function flatSource(width: number, height: number, fill = 90): { title: string; width: number; height: number; sentence: { tokens: Uint8Array; startExponent: number }; tokenizer: typeof TOKENIZER; classIndex: number } {
  const e = encodeImage(new Uint8Array(width * height).fill(fill), width, height, TOKENIZER);
  return { title: `${width}x${height}`, width, height, sentence: { tokens: e.tokens, startExponent: e.startExponent }, tokenizer: TOKENIZER, classIndex: 1 };
}
