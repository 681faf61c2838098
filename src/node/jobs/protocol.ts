/**
 * The messages between the job supervisor (parent) and the job host (child process):
 * commands down (start, cancel, pause, resume), reports up (event, done, error).
 * Both sides check what they receive with the guards below, so a garbled message is
 * dropped instead of crashing either process.
 * Used by: node/jobs/supervisor.ts, node/jobs/host-loop.ts, worker/host.ts.
 */
import type { BackendName, JobKind } from '../../shared/dto';
import type { JobEventBody } from '../../worker/job-types';

export const JOB_KINDS: readonly JobKind[] = ['train', 'sample', 'edit', 'tokenize', 'import', 'eval'];

export type HostCommand =
  | { type: 'start'; jobId: string; kind: JobKind; request: unknown; workspace: string; backend: BackendName | 'auto' }
  | { type: 'cancel' }
  | { type: 'pause' }
  | { type: 'resume' };

export type HostReport =
  | { type: 'event'; event: JobEventBody }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isJobKind(v: unknown): v is JobKind {
  return typeof v === 'string' && (JOB_KINDS as readonly string[]).includes(v);
}

export function isHostCommand(v: unknown): v is HostCommand {
  if (!isRecord(v)) return false;
  if (v.type === 'cancel' || v.type === 'pause' || v.type === 'resume') return true;
  return v.type === 'start' && typeof v.jobId === 'string' && isJobKind(v.kind) && typeof v.workspace === 'string' && typeof v.backend === 'string';
}

export function isHostReport(v: unknown): v is HostReport {
  if (!isRecord(v)) return false;
  if (v.type === 'event') return isRecord(v.event) && typeof v.event.type === 'string';
  if (v.type === 'done') return 'result' in v;
  return v.type === 'error' && typeof v.code === 'string' && typeof v.message === 'string';
}
