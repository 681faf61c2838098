/**
 * The supervisor's memory of one job: its snapshot (state, progress, metrics, result) and
 * how each event updates it. Pure functions, so a reloaded renderer that asks `jobs.get`
 * sees exactly what the events said. Used by: node/jobs/supervisor.ts.
 */
import type { JobEvent, JobSnapshot, JobState } from '../../shared/dto';

/** Metric points kept per job; older ones are thinned (every other dropped) beyond this. */
export const MAX_METRIC_POINTS = 20_000;

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['done', 'error', 'cancelled']);

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.has(state);
}

/** Returns the snapshot after a job-reported event (lifecycle is set by the supervisor). */
export function applyJobEvent(snapshot: JobSnapshot, event: JobEvent): JobSnapshot {
  switch (event.type) {
    case 'started':
      return event.backend ? { ...snapshot, backend: event.backend } : snapshot;
    case 'progress': {
      const { done, total, etaSec, message } = event;
      return { ...snapshot, lastProgress: { done, total, etaSec, message } };
    }
    case 'metrics': {
      const metrics = [...snapshot.metrics, { ...event.point }];
      return { ...snapshot, metrics: metrics.length > MAX_METRIC_POINTS ? thin(metrics) : metrics };
    }
    case 'tokens':
      return { ...snapshot, partial: mergeTokens(snapshot.partial ?? [], event) };
    default:
      return snapshot; // state/done/error belong to the supervisor
  }
}

/** A tokens event carries the chunk that ends at `length`: the sentence so far of its sample. */
function mergeTokens(partial: NonNullable<JobSnapshot['partial']>, event: Extract<JobEvent, { type: 'tokens' }>): NonNullable<JobSnapshot['partial']> {
  const before = partial.find((p) => p.sample === event.sample)?.tokens ?? [];
  const offset = Math.max(0, event.length - event.tokens.length);
  if (offset > before.length) return partial; // a gap: keep what is known
  const tokens = [...before.slice(0, offset), ...event.tokens];
  return [...partial.filter((p) => p.sample !== event.sample), { sample: event.sample, tokens, startExponent: event.startExponent }].sort((a, b) => a.sample - b.sample);
}

function thin<T>(points: T[]): T[] {
  return points.filter((_, i) => i % 2 === 1 || i === points.length - 1);
}

/** A defensive copy for callers (they must not reach into the supervisor's state). */
export function copySnapshot(snapshot: JobSnapshot): JobSnapshot {
  return {
    ...snapshot,
    metrics: snapshot.metrics.map((p) => ({ ...p })),
    lastProgress: snapshot.lastProgress ? { ...snapshot.lastProgress } : undefined,
    error: snapshot.error ? { ...snapshot.error } : undefined,
    partial: snapshot.partial?.map((p) => ({ ...p, tokens: [...p.tokens] })),
  };
}
