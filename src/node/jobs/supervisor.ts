/**
 * The job supervisor: one child process per job, so training and sampling never block the
 * process that serves the UI. Keeps a snapshot per job (state, progress, metrics, result),
 * forwards every event to subscribers, turns a child that dies without reporting into a
 * JOB_CRASHED error, and kills a cancelled child after a grace period.
 * Used by: node/server (browser mode), main (Electron, with a utilityProcess spawn), cli.
 */
import { randomBytes } from 'node:crypto';
import type { BackendName, JobEvent, JobKind, JobRef, JobSnapshot, JobState } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { applyJobEvent, copySnapshot, isTerminal } from './job-record';
import { isHostReport, isJobKind, type HostReport } from './protocol';
import { createForkSpawn, type JobProcess, type SpawnJobProcess } from './spawn';
import type { JobSupervisor, StartJobOptions } from './types';

export interface SupervisorOptions {
  workspace: string;
  spawn?: SpawnJobProcess;
  /** How long a cancelled job may take to stop before its process is killed. */
  cancelGraceMs?: number;
  /** Jobs running at once; further ones wait in state 'queued'. */
  maxConcurrent?: number;
  /** Finished jobs remembered for snapshots (oldest forgotten first). */
  keepFinished?: number;
  /** Unfinished jobs (running, paused or queued) allowed at once; more are refused with CONFLICT. */
  maxUnfinished?: number;
}

interface JobRecord {
  snapshot: JobSnapshot;
  backend: BackendName | 'auto';
  process?: JobProcess;
  cancelRequested: boolean;
  killTimer?: NodeJS.Timeout;
}

const newJobId = (kind: JobKind): string => `${kind}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export function createJobSupervisor(options: SupervisorOptions): JobSupervisor {
  const spawn = options.spawn ?? createForkSpawn();
  const graceMs = options.cancelGraceMs ?? 5000;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const keepFinished = Math.max(1, options.keepFinished ?? 100);
  const maxUnfinished = Math.max(maxConcurrent, options.maxUnfinished ?? 32);
  const jobs = new Map<string, JobRecord>(); // insertion order = start order
  const listeners = new Set<(event: JobEvent) => void>();
  const exitWaiters = new Set<() => void>();

  const publish = (event: JobEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // a failing subscriber must not stop the others or the job
      }
    }
  };
  const find = (jobId: string): JobRecord => {
    const record = jobs.get(jobId);
    if (!record) throw new StudioError('NOT_FOUND', `no job "${jobId}"`);
    return record;
  };
  const header = (record: JobRecord): { jobId: string; kind: JobKind } => ({ jobId: record.snapshot.jobId, kind: record.snapshot.kind });
  const setState = (record: JobRecord, state: JobState): void => {
    if (record.snapshot.state === state) return;
    record.snapshot = { ...record.snapshot, state };
    publish({ ...header(record), type: 'state', state });
  };

  const settle = (record: JobRecord, outcome: { result: unknown } | { code: string; message: string }): void => {
    if (isTerminal(record.snapshot.state)) return;
    if ('result' in outcome) {
      record.snapshot = { ...record.snapshot, result: outcome.result };
      publish({ ...header(record), type: 'done', result: outcome.result });
      setState(record, 'done');
    } else {
      const error = { code: outcome.code, message: outcome.message };
      record.snapshot = { ...record.snapshot, error };
      publish({ ...header(record), type: 'error', ...error });
      setState(record, outcome.code === 'CANCELLED' ? 'cancelled' : 'error');
    }
    forgetOldJobs();
  };
  const forgetOldJobs = (): void => {
    const finished = [...jobs.values()].filter((r) => isTerminal(r.snapshot.state) && !r.process);
    for (const record of finished.slice(0, Math.max(0, finished.length - keepFinished))) jobs.delete(record.snapshot.jobId);
  };

  const onReport = (record: JobRecord, report: HostReport): void => {
    if (report.type === 'done') return settle(record, { result: report.result });
    if (report.type === 'error') return settle(record, { code: report.code, message: report.message });
    if (isTerminal(record.snapshot.state)) return;
    const event = { ...report.event, ...header(record) } as JobEvent;
    record.snapshot = applyJobEvent(record.snapshot, event);
    publish(event);
  };
  const onExit = (record: JobRecord, code: number | null, signal: string | null): void => {
    clearTimeout(record.killTimer);
    record.process = undefined;
    if (record.cancelRequested) settle(record, { code: 'CANCELLED', message: 'the job was cancelled' });
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    settle(record, { code: 'JOB_CRASHED', message: `the ${record.snapshot.kind} job process ${how} before reporting a result` });
    for (const wake of [...exitWaiters]) wake();
    pump();
  };

  const launch = (record: JobRecord): void => {
    let child: JobProcess;
    try {
      child = spawn();
    } catch (e) {
      settle(record, { code: 'UNAVAILABLE', message: `could not start the job process: ${(e as Error).message}` });
      return;
    }
    record.process = child;
    setState(record, 'running');
    child.onMessage((message) => {
      if (isHostReport(message)) onReport(record, message);
    });
    child.onExit((code, signal) => onExit(record, code, signal));
    const { jobId, kind, request } = record.snapshot;
    child.send({ type: 'start', jobId, kind, request, workspace: options.workspace, backend: record.backend });
  };
  const liveCount = (): number => [...jobs.values()].filter((r) => r.process).length;
  const pump = (): void => {
    for (const record of jobs.values()) {
      if (liveCount() >= maxConcurrent) return;
      if (record.snapshot.state === 'queued' && !record.process) launch(record);
    }
  };

  const requestCancel = (record: JobRecord): void => {
    if (isTerminal(record.snapshot.state)) return;
    if (!record.process) return settle(record, { code: 'CANCELLED', message: 'the job was cancelled before it started' });
    if (record.cancelRequested) return;
    record.cancelRequested = true;
    record.process.send({ type: 'cancel' });
    record.killTimer = setTimeout(() => record.process?.kill(), graceMs);
  };

  return {
    start(kind: JobKind, request: unknown, startOptions: StartJobOptions = {}): JobRef {
      if (!isJobKind(kind)) throw new StudioError('BAD_REQUEST', `unknown job kind "${String(kind)}"`);
      const unfinished = [...jobs.values()].filter((r) => !isTerminal(r.snapshot.state)).length;
      if (unfinished >= maxUnfinished) throw new StudioError('CONFLICT', `${unfinished} jobs are already running or queued; wait for some to finish or cancel them`);
      const jobId = newJobId(kind);
      const snapshot: JobSnapshot = { jobId, kind, state: 'queued', startedAt: Date.now(), metrics: [], request };
      const record: JobRecord = { snapshot, backend: startOptions.backend ?? 'auto', cancelRequested: false };
      jobs.set(jobId, record);
      publish({ jobId, kind, type: 'state', state: 'queued' });
      pump();
      return { jobId, kind };
    },
    list: () => [...jobs.values()].map((r) => copySnapshot(r.snapshot)),
    get: (jobId) => copySnapshot(find(jobId).snapshot),
    cancel(jobId) {
      const record = find(jobId);
      requestCancel(record);
      return record.snapshot.state;
    },
    pause(jobId) {
      const record = find(jobId);
      if (record.snapshot.state === 'paused') return 'paused';
      if (record.snapshot.state !== 'running' || !record.process || record.cancelRequested) {
        throw new StudioError('CONFLICT', `job "${jobId}" is ${record.snapshot.state}; only a running job can be paused`);
      }
      record.process.send({ type: 'pause' });
      setState(record, 'paused');
      return 'paused';
    },
    resume(jobId) {
      const record = find(jobId);
      if (record.snapshot.state === 'running') return 'running';
      if (record.snapshot.state !== 'paused' || !record.process) {
        throw new StudioError('CONFLICT', `job "${jobId}" is ${record.snapshot.state}; only a paused job can be resumed`);
      }
      record.process.send({ type: 'resume' });
      setState(record, 'running');
      return 'running';
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async shutdown(): Promise<void> {
      for (const record of jobs.values()) requestCancel(record);
      const deadline = Date.now() + graceMs + 2000;
      while (liveCount() > 0 && Date.now() < deadline) {
        await new Promise<void>((wake) => {
          const timer = setTimeout(finishWait, 200);
          function finishWait(): void {
            clearTimeout(timer);
            exitWaiters.delete(finishWait);
            wake();
          }
          exitWaiters.add(finishWait);
        });
      }
      for (const record of jobs.values()) record.process?.kill();
    },
  };
}
