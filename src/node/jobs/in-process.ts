/**
 * Runs a job in the calling process, without a child: for the CLI, where the process
 * exists only to run that job. Same registry, same control and same outcome mapping as
 * the job host, so a job behaves alike in both places.
 * Used by: cli commands (train, sample, edit, eval, tokenize, import).
 */
import type { BackendName, JobKind } from '../../shared/dto';
import { StudioError, type ErrorCode } from '../../shared/result';
import type { JobEventBody, JobHandler } from '../../worker/job-types';
import { loadJobHandler } from '../../worker/jobs/index';
import { createJobControl, executeJob } from './control';

export interface InProcessContext {
  workspace: string;
  backend?: BackendName | 'auto';
  /** Events as the job emits them (progress, metrics, tokens, started). */
  onEvent?: (event: JobEventBody) => void;
  /** Aborting it cancels the job (e.g. on Ctrl+C). */
  signal?: AbortSignal;
  /** Overrides the registry (tests). */
  loadHandler?: (kind: JobKind) => Promise<JobHandler>;
}

/** Resolves with the job's result; rejects with a StudioError carrying the job's code. */
export async function runJobInProcess(kind: JobKind, request: unknown, ctx: InProcessContext): Promise<unknown> {
  const handler = await (ctx.loadHandler ?? loadJobHandler)(kind);
  const control = createJobControl();
  const onAbort = (): void => control.cancel();
  if (ctx.signal?.aborted) control.cancel();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await executeJob(handler, request, {
      workspace: ctx.workspace,
      backend: ctx.backend ?? 'auto',
      control,
      emit: (event) => ctx.onEvent?.(event),
    });
    if (!outcome.ok) throw new StudioError(outcome.code as ErrorCode, outcome.message);
    return outcome.result;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}
