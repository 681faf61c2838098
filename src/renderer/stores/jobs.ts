/**
 * Jobs store: every job the engine runs (from jobs.list and live events), for the jobs
 * tray and the header's backend badge. Views' stores follow their own jobs; this one only
 * summarises.
 * Used by: App.vue (tray), components/JobsTray.vue.
 */
import { defineStore } from 'pinia';
import { ref, computed } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import type { BackendName, JobEvent, JobKind, JobSnapshot, JobState } from '../../shared/dto';

export interface JobView {
  jobId: string;
  kind: JobKind;
  state: JobState;
  startedAt: number;
  backend?: BackendName;
  done: number;
  total: number;
  etaSec?: number;
  message?: string;
  rssMb?: number;
  error?: string;
}

const LIVE: JobState[] = ['queued', 'running', 'paused'];

export function isLive(state: JobState): boolean {
  return LIVE.includes(state);
}

function fromSnapshot(s: JobSnapshot): JobView {
  return {
    jobId: s.jobId, kind: s.kind, state: s.state, startedAt: s.startedAt, backend: s.backend,
    done: s.lastProgress?.done ?? 0, total: s.lastProgress?.total ?? 0,
    etaSec: s.lastProgress?.etaSec, message: s.lastProgress?.message, error: s.error?.message,
  };
}

/** Applies one event to a job view; returns a new object (never mutates). */
export function applyJobEvent(job: JobView | undefined, e: JobEvent, now: number): JobView {
  const base: JobView = job ?? { jobId: e.jobId, kind: e.kind, state: 'running', startedAt: now, done: 0, total: 0 };
  switch (e.type) {
    case 'started':
      return { ...base, state: 'running', backend: e.backend ?? base.backend, total: e.total ?? base.total, message: e.detail ?? base.message };
    case 'progress':
      return { ...base, done: e.done, total: e.total, etaSec: e.etaSec, message: e.message ?? base.message, rssMb: e.rssMb ?? base.rssMb };
    case 'state':
      return { ...base, state: e.state };
    case 'done':
      return { ...base, state: 'done', done: base.total || base.done, etaSec: 0 };
    case 'error':
      return { ...base, state: e.code === 'CANCELLED' ? 'cancelled' : 'error', error: e.message };
    default:
      return base;
  }
}

export const useJobsStore = defineStore('jobs', () => {
  const jobs = ref<Record<string, JobView>>({});
  let unsubscribe: (() => void) | null = null;

  const ordered = computed(() => Object.values(jobs.value).sort((a, b) => b.startedAt - a.startedAt));
  const live = computed(() => ordered.value.filter((j) => isLive(j.state)));

  function handle(e: JobEvent): void {
    jobs.value = { ...jobs.value, [e.jobId]: applyJobEvent(jobs.value[e.jobId], e, Date.now()) };
    if (e.type === 'started' && e.backend) useAppStore().noteBackend(e.backend);
  }

  async function refresh(): Promise<void> {
    const result = await api().jobs.list({});
    if (!result.ok) return useAppStore().report('Listing jobs', result.error);
    const next = { ...jobs.value };
    for (const s of result.value) next[s.jobId] = { ...fromSnapshot(s), rssMb: next[s.jobId]?.rssMb };
    jobs.value = next;
  }

  function attach(): void {
    unsubscribe ??= api().onJobEvent(handle);
  }

  function detach(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function cancel(jobId: string): Promise<void> {
    const result = await api().jobs.cancel({ jobId });
    if (!result.ok) useAppStore().report('Stopping the job', result.error);
  }

  function clearFinished(): void {
    jobs.value = Object.fromEntries(Object.entries(jobs.value).filter(([, j]) => isLive(j.state)));
  }

  return { jobs, ordered, live, handle, refresh, attach, detach, cancel, clearFinished };
});
