/**
 * The job supervisor's contract: start jobs by kind, follow them through events and
 * snapshots, cancel/pause/resume them. Implemented by node/jobs/supervisor.ts (a child
 * process per job); Electron injects a utilityProcess-based spawn.
 * Used by: node/service (ServiceContext.jobs), node/server, main, cli.
 */
import type { BackendName, JobEvent, JobKind, JobRef, JobSnapshot, JobState } from '../../shared/dto';

export interface StartJobOptions {
  /** Backend the job should use; 'auto' picks the best available. */
  backend?: BackendName | 'auto';
}

export interface JobSupervisor {
  /** Starts a job with an already validated request; returns at once. */
  start(kind: JobKind, request: unknown, options?: StartJobOptions): JobRef;
  list(): JobSnapshot[];
  /** Throws StudioError('NOT_FOUND') for an unknown job. */
  get(jobId: string): JobSnapshot;
  cancel(jobId: string): JobState;
  pause(jobId: string): JobState;
  resume(jobId: string): JobState;
  /** Subscribes to every job's events; returns an unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  /** Cancels every live job and waits (bounded) for the processes to end. */
  shutdown(): Promise<void>;
}
