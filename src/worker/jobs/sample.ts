/**
 * The 'sample' job: sentences of a class from a model (histogram or given start exponent,
 * robust start, rollback from a prefix), with 'tokens' events as they grow.
 * Request: sampleStartSchema. Result: SampleResult.
 * Used by: worker/jobs/index.ts (job host, CLI in-process), cli sample.
 */
import { sampleSentences, type SampledSentence } from '../../core/sample/sampler';
import type { Geometry } from '../../core/language';
import { selectBackend } from '../../node/backend';
import { loadModel } from '../../node/runs/model-io';
import { resolveModelDir } from '../../node/runs/models';
import type { GeneratedSentence, SampleResult } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { sampleStartSchema } from '../../shared/schemas';
import { parseJobRequest } from '../parse-request';
import type { JobHandler } from '../job-types';

export function toGenerated(s: SampledSentence, geometry: Geometry): GeneratedSentence {
  return { tokens: Array.from(s.tokens), startExponent: s.startExponent, classIndex: s.classIndex, seed: s.seed, size: geometry.size, width: geometry.width, height: geometry.height };
}

/** Maps core errors (range, grammar) to request errors. */
export function asStudioError(e: unknown): unknown {
  if (e instanceof StudioError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'CANCELLED') return new StudioError('CANCELLED', (e as Error).message);
  if (code === 'BAD_TOKENS' || (e as Error).name === 'LanguageError') return new StudioError('BAD_TOKENS', (e as Error).message);
  if (e instanceof RangeError) return new StudioError('BAD_REQUEST', e.message);
  return e;
}

export const handler: JobHandler<unknown, SampleResult> = async (request, ctx) => {
  const r = parseJobRequest(sampleStartSchema, request, 'sample');
  const { name: backend } = await selectBackend(ctx.backend);
  const { model, meta } = await loadModel(await resolveModelDir(ctx.workspace, r.modelId));
  ctx.emit({ type: 'started', backend, total: r.count, detail: `sample ${r.count} of class ${meta.classes[r.classIndex] ?? r.classIndex} (${backend})` });
  const t0 = performance.now();
  try {
    const sentences = await sampleSentences(model, meta, {
      classIndex: r.classIndex, count: r.count, startExponent: r.startExponent, sampling: r.sampling, seed: r.seed,
      robustStart: r.robustStart, prefix: r.prefix, from: r.from, previewEvery: r.previewEvery, batchSize: 16,
    }, {
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.type === 'tokens') ctx.emit({ type: 'tokens', sample: e.row, tokens: e.tokens, startExponent: e.startExponent, length: e.length, total: model.config.context });
      },
    });
    return { sentences: sentences.map((s) => toGenerated(s, meta.geometry)), sampling: r.sampling, backend, wallSec: (performance.now() - t0) / 1000 };
  } catch (e) {
    throw asStudioError(e);
  } finally {
    model.dispose();
  }
};
