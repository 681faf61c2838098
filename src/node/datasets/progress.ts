/**
 * A throttled progress reporter for dataset jobs: turns (done, total, message) calls into
 * at most ~10 'progress' events a second (the last one always goes out), with an ETA.
 * Used by: worker/jobs/import.ts, worker/jobs/tokenize.ts.
 */
import type { JobEventBody } from '../../worker/job-types';

export type ProgressFn = (done: number, total: number, message?: string) => void;

export function throttledProgress(emit: (event: JobEventBody) => void, intervalMs = 100): ProgressFn {
  const started = performance.now();
  let last = -Infinity;
  let lastMessage: string | undefined;
  return (done, total, message) => {
    const now = performance.now();
    const final = done >= total;
    if (!final && message === lastMessage && now - last < intervalMs) return;
    last = now;
    lastMessage = message;
    const elapsed = (now - started) / 1000;
    const etaSec = done > 0 && !final ? (elapsed / done) * (total - done) : undefined;
    emit({ type: 'progress', done, total, ...(etaSec !== undefined ? { etaSec } : {}), ...(message ? { message } : {}) });
  };
}
