/**
 * Validates a job's raw request against its schema: the parsed value, or a BAD_REQUEST
 * StudioError naming the job and every failing field (format shared with the API dispatcher).
 * Used by: worker/jobs (edit, eval, sample, tokenize, train).
 */
import type { z } from 'zod';
import { StudioError } from '../shared/result';
import { describeIssues } from '../shared/validation';

export function parseJobRequest<S extends z.ZodType>(schema: S, request: unknown, job: string): z.output<S> {
  const parsed = schema.safeParse(request);
  if (!parsed.success) throw new StudioError('BAD_REQUEST', `${job} request: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}
