/**
 * Binds the wavelet GPT and its sampler (core/model, core/sample) to the EvalModel the
 * evaluation needs: generate() runs sampleSentences for one class, scorer is the GPT
 * scorer of core/eval. openModelForEval loads a run or model folder's checkpoint
 * (node/runs/checkpoint.ts) into a fresh GPT.
 * Used by: cli eval, worker/jobs/eval.ts.
 */
import { createGptScorer } from '../../core/eval/gpt-scorer';
import type { Gpt } from '../../core/model/gpt';
import type { SamplingSettings } from '../../core/sample/choose';
import { sampleSentences, type ModelMeta } from '../../core/sample/sampler';
import { activeBackend } from '../backend';
import { loadModel } from '../runs/model-io';
import type { EvalModel } from './run-eval';

export interface EngineModelInfo {
  path: string;
  datasetId: string;
  step: number;
  backend: string;
}

export const EVAL_SAMPLING: Readonly<SamplingSettings> = Object.freeze({ temperature: 1, topK: 0, topP: 1 });

export function createEngineEvalModel(gpt: Gpt, meta: ModelMeta, info: EngineModelInfo, sampling: SamplingSettings = EVAL_SAMPLING, signal?: { readonly aborted: boolean }): EvalModel {
  return {
    ...info,
    classes: meta.classes,
    tokenizer: meta.tokenizer,
    geometry: meta.geometry,
    params: gpt.params,
    sampling: { ...sampling },
    scorer: createGptScorer(gpt, meta.tokenizer, meta.geometry),
    async generate(classIndex, count, seed) {
      const sampled = await sampleSentences(gpt, meta, { classIndex, count, startExponent: null, sampling, seed, batchSize: count }, { signal });
      return sampled.map((s) => ({ classIndex: s.classIndex, tokens: s.tokens, startExponent: s.startExponent }));
    },
  };
}

export interface OpenedModel {
  model: EvalModel;
  dispose(): void;
}

/** Opens a run folder or a model folder (its checkpoint/) for evaluation; the caller disposes. */
export async function openModelForEval(dir: string, signal?: { readonly aborted: boolean }, sampling: SamplingSettings = EVAL_SAMPLING): Promise<OpenedModel> {
  // weights only: evaluation never needs the optimizer state
  const { model: gpt, meta, state } = await loadModel(dir);
  const info: EngineModelInfo = { path: dir, datasetId: state.datasetId, step: state.step, backend: activeBackend() };
  return { model: createEngineEvalModel(gpt, meta, info, sampling, signal), dispose: () => gpt.dispose() };
}
