/**
 * The job supervisor with real child processes (a forked test host): events flow up and
 * snapshots keep them, cancel and pause work, a crashed or stuck child is reported and
 * never hangs the parent, a missing job module is a clean UNAVAILABLE error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/shared/dto';
import type { JobSupervisor } from '../../../src/node/jobs/types';
import { testSupervisor, waitFor } from './helpers';

let supervisor: JobSupervisor | undefined;
afterEach(async () => {
  await supervisor?.shutdown();
  supervisor = undefined;
});

function record(s: JobSupervisor): JobEvent[] {
  const events: JobEvent[] = [];
  s.onEvent((e) => events.push(e));
  return events;
}

const finished = (s: JobSupervisor, jobId: string) => () => ['done', 'error', 'cancelled'].includes(s.get(jobId).state);

describe('job supervisor', () => {
  it('runs a job in a child: started/progress/metrics/done reach subscribers and the snapshot', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const events = record(supervisor);
    const { jobId, kind } = supervisor.start('train', { mode: 'quick' }, { backend: 'wasm' });
    expect(kind).toBe('train');
    expect(supervisor.get(jobId).state).toMatch(/queued|running/);
    await waitFor(finished(supervisor, jobId), 15_000, 'job end');

    const types = events.filter((e) => e.jobId === jobId).map((e) => (e.type === 'state' ? `state:${e.state}` : e.type));
    expect(types).toEqual(['state:queued', 'state:running', 'started', 'progress', 'metrics', 'progress', 'done', 'state:done']);
    const snap = supervisor.get(jobId);
    expect(snap).toMatchObject({ state: 'done', kind: 'train', backend: 'cpu', lastProgress: { done: 2, total: 2 } });
    expect(snap.metrics).toEqual([{ step: 1, trainLoss: 2.5, wallSec: 0.1 }]);
    // the child saw the workspace and the requested backend; the job's own 'done' emit was dropped
    expect(snap.result).toEqual({ sum: 3, workspace: '/tmp/ws-test', backend: 'wasm' });
    expect(snap.request).toEqual({ mode: 'quick' });
    expect(supervisor.list().map((s) => s.jobId)).toContain(jobId);
  });

  it('reports a child that exits without a result as JOB_CRASHED', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const events = record(supervisor);
    const { jobId } = supervisor.start('train', { mode: 'crash' });
    await waitFor(finished(supervisor, jobId), 15_000, 'crash');
    const snap = supervisor.get(jobId);
    expect(snap.state).toBe('error');
    expect(snap.error?.code).toBe('JOB_CRASHED');
    expect(snap.error?.message).toContain('exited with code 3');
    expect(snap.lastProgress?.done).toBe(1); // what came before the crash is kept
    expect(events.some((e) => e.type === 'error' && e.code === 'JOB_CRASHED')).toBe(true);
  });

  it('keeps the code and message of a job that fails cleanly', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const { jobId } = supervisor.start('train', { mode: 'throw' });
    await waitFor(finished(supervisor, jobId));
    expect(supervisor.get(jobId).error).toEqual({ code: 'BAD_FILE', message: 'the test file is corrupt at offset 7' });
  });

  it('answers UNAVAILABLE when the job kind has no module', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const { jobId } = supervisor.start('sample', {});
    await waitFor(finished(supervisor, jobId));
    expect(supervisor.get(jobId)).toMatchObject({ state: 'error', error: { code: 'UNAVAILABLE' } });
  });

  it('cancels a running job through its signal', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const { jobId } = supervisor.start('train', { mode: 'slow' });
    await waitFor(() => (supervisor!.get(jobId).lastProgress?.done ?? 0) >= 2, 15_000, 'progress');
    supervisor.cancel(jobId);
    await waitFor(finished(supervisor, jobId), 5_000, 'cancel');
    expect(supervisor.get(jobId)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
  });

  it('kills a job that ignores cancel after the grace period', async () => {
    supervisor = testSupervisor('/tmp/ws-test', { cancelGraceMs: 300 });
    const { jobId } = supervisor.start('train', { mode: 'hang' });
    await waitFor(() => supervisor!.get(jobId).backend === 'cpu', 15_000, 'start');
    const t0 = Date.now();
    supervisor.cancel(jobId);
    await waitFor(finished(supervisor, jobId), 5_000, 'kill');
    expect(supervisor.get(jobId).state).toBe('cancelled');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('pauses and resumes: no progress while paused, then the job completes', async () => {
    supervisor = testSupervisor('/tmp/ws-test');
    const { jobId } = supervisor.start('train', { mode: 'steps' });
    await waitFor(() => (supervisor!.get(jobId).lastProgress?.done ?? 0) >= 2, 15_000, 'progress');
    expect(supervisor.pause(jobId)).toBe('paused');
    await new Promise((done) => setTimeout(done, 100)); // one in-flight step may still land
    const frozen = supervisor.get(jobId).lastProgress?.done;
    await new Promise((done) => setTimeout(done, 300));
    expect(supervisor.get(jobId).lastProgress?.done).toBe(frozen);
    expect(supervisor.get(jobId).state).toBe('paused');
    expect(supervisor.resume(jobId)).toBe('running');
    await waitFor(finished(supervisor, jobId), 10_000, 'finish');
    expect(supervisor.get(jobId)).toMatchObject({ state: 'done', result: { steps: 40 } });
  });

  it('queues beyond maxConcurrent and refuses pausing a queued job', async () => {
    supervisor = testSupervisor('/tmp/ws-test', { maxConcurrent: 1 });
    const first = supervisor.start('train', { mode: 'slow' });
    const second = supervisor.start('train', { mode: 'quick' });
    expect(supervisor.get(second.jobId).state).toBe('queued');
    expect(() => supervisor!.pause(second.jobId)).toThrow(/only a running job/);
    supervisor.cancel(first.jobId);
    await waitFor(finished(supervisor, second.jobId), 15_000, 'second job');
    expect(supervisor.get(second.jobId).state).toBe('done');
  });

  it('refuses a job beyond the cap on unfinished ones, and takes one again when a slot frees', async () => {
    supervisor = testSupervisor('/tmp/ws-test', { maxConcurrent: 1, maxUnfinished: 2 });
    const first = supervisor.start('train', { mode: 'slow' });
    supervisor.start('train', { mode: 'quick' });
    expect(() => supervisor!.start('train', { mode: 'quick' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/2 jobs are already/) }));
    expect(supervisor.list()).toHaveLength(2);
    supervisor.cancel(first.jobId);
    await waitFor(finished(supervisor, first.jobId), 10_000, 'first job');
    expect(supervisor.start('train', { mode: 'quick' }).jobId).toBeTruthy();
  });

  it('answers NOT_FOUND for unknown jobs and rejects unknown kinds', () => {
    supervisor = testSupervisor('/tmp/ws-test');
    expect(() => supervisor!.get('nope')).toThrow(/no job "nope"/);
    expect(() => supervisor!.start('bogus' as 'train', {})).toThrow(/unknown job kind/);
  });
});
