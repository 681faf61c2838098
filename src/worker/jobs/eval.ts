/**
 * The 'eval' job: samples N class-conditional images from a model, scores them (class
 * consistency, FID with its floor, bits per image, wall time) and writes the model's
 * eval-report.json. Progress events name the stage (sampling, judging, bits).
 * Request: { modelId, samples, seed } (shared/schemas evalStartSchema).
 * Used by: worker/jobs/index.ts (job host, CLI in-process), jobs.eval.
 */
import type { EvalReport } from '../../core/eval/report';
import { evaluateModelDir } from '../../node/eval/evaluate-dir';
import { resolveModelDir } from '../../node/runs/models';
import { StudioError } from '../../shared/result';
import { evalStartSchema } from '../../shared/schemas';
import { parseJobRequest } from '../parse-request';
import type { JobHandler } from '../job-types';

const PROGRESS_INTERVAL_MS = 250;

export const handler: JobHandler<unknown, EvalReport> = async (request, ctx) => {
  const { modelId, samples, seed, sampling } = parseJobRequest(evalStartSchema, request, 'eval');
  const dir = await resolveModelDir(ctx.workspace, modelId);
  ctx.emit({ type: 'started', total: samples, detail: `eval ${modelId}: ${samples} samples` });
  let last = 0;
  try {
    return await evaluateModelDir(dir, {
      samples, seed, sampling, signal: ctx.signal,
      onProgress: (stage, done, total) => {
        const now = Date.now();
        if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        ctx.emit({ type: 'progress', done, total, message: stage });
      },
    });
  } catch (e) {
    if (ctx.signal.aborted) throw new StudioError('CANCELLED', `eval of ${modelId} cancelled`);
    throw e;
  }
};
