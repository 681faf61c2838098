/**
 * The contract between the job host and the job implementations it runs.
 * A job is an async function of a validated request and a context; it reports through
 * `emit`, honours `signal` (cancel) and `pauseGate` (pause/resume), and returns its result.
 * Used by: worker/host.ts, worker/jobs/*, cli (which runs jobs in-process or through the host).
 */
import type { JobEvent, JobKind, BackendName } from '../shared/dto';

/** An event as a job emits it: the host fills in jobId and kind. */
export type JobEventBody = JobEvent extends infer E ? (E extends JobEvent ? Omit<E, 'jobId' | 'kind'> : never) : never;

export interface JobContext {
  workspace: string;
  emit(event: JobEventBody): void;
  signal: AbortSignal;
  /** Resolves immediately when running; waits while the job is paused. */
  pauseGate(): Promise<void>;
  /** Backend requested for this job ('auto' picks the best available). */
  backend: BackendName | 'auto';
}

export type JobHandler<Req = unknown, Res = unknown> = (request: Req, ctx: JobContext) => Promise<Res>;

export type JobRegistry = Partial<Record<JobKind, JobHandler>>;
