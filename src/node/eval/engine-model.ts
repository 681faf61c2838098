/**
 * Binds the wavelet GPT and its sampler (core/model, core/sample) to the EvalModel the
 * evaluation needs: generate() runs sampleSentences for one class, scorer is the GPT
 * scorer of core/eval. Loading the GPT from a run or model folder belongs to node/runs;
 * openModelForEval is the one place that will call it.
 * Used by: cli eval, worker/jobs/eval.ts.
 */
import { createGptScorer } from '../../core/eval/gpt-scorer';
import type { Gpt } from '../../core/model/gpt';
import type { SamplingSettings } from '../../core/sample/choose';
import { sampleSentences, type ModelMeta } from '../../core/sample/sampler';
import { StudioError } from '../../shared/result';
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

/** Opens a run folder or a model folder for evaluation. */
export async function openModelForEval(dir: string, _signal?: { readonly aborted: boolean }): Promise<OpenedModel> {
  throw new StudioError('UNAVAILABLE', `cannot open ${dir} for evaluation: this build has no checkpoint loader (node/runs) yet`);
}
