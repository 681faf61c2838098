/**
 * Runs one job handler under control: an AbortSignal for cancel, a pause gate, and a
 * filter that keeps lifecycle events (state, done, error) for the runner to report.
 * Shared by the job host (child process) and the in-process runner (CLI), so both
 * behave alike. Used by: node/jobs/host-loop.ts, node/jobs/in-process.ts.
 */
import type { BackendName } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import type { JobContext, JobEventBody, JobHandler } from '../../worker/job-types';

export interface JobControl {
  readonly signal: AbortSignal;
  readonly paused: boolean;
  cancel(): void;
  pause(): void;
  resume(): void;
  /** Resolves at once unless paused; a cancel releases waiters too. */
  pauseGate(): Promise<void>;
}

export function createJobControl(): JobControl {
  const abort = new AbortController();
  let paused = false;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const pending = waiters;
    waiters = [];
    for (const wake of pending) wake();
  };
  abort.signal.addEventListener('abort', release, { once: true });
  return {
    signal: abort.signal,
    get paused() {
      return paused;
    },
    cancel: () => abort.abort(new StudioError('CANCELLED', 'the job was cancelled')),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      release();
    },
    pauseGate: () =>
      !paused || abort.signal.aborted ? Promise.resolve() : new Promise<void>((wake) => waiters.push(wake)),
  };
}

export type JobOutcome = { ok: true; result: unknown } | { ok: false; code: string; message: string };

export interface ExecuteOptions {
  workspace: string;
  backend: BackendName | 'auto';
  control: JobControl;
  emit(event: JobEventBody): void;
}

/** Lifecycle events belong to the runner; a job reports them by returning or throwing. */
const LIFECYCLE = new Set(['state', 'done', 'error']);

/** Calls the handler and turns whatever happens into an outcome value (never throws). */
export async function executeJob(handler: JobHandler, request: unknown, options: ExecuteOptions): Promise<JobOutcome> {
  const { control } = options;
  const ctx: JobContext = {
    workspace: options.workspace,
    backend: options.backend,
    signal: control.signal,
    pauseGate: () => control.pauseGate(),
    emit: (event) => {
      if (!LIFECYCLE.has(event.type)) options.emit(event);
    },
  };
  try {
    const result = await handler(request, ctx);
    if (control.signal.aborted) return { ok: false, code: 'CANCELLED', message: 'the job was cancelled' };
    return { ok: true, result };
  } catch (e) {
    if (control.signal.aborted) return { ok: false, code: 'CANCELLED', message: 'the job was cancelled' };
    if (e instanceof StudioError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
  }
}
