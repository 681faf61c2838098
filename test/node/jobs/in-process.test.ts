/**
 * The pieces shared by the job host and the CLI: the registry's UNAVAILABLE answers, the
 * pause gate and cancel of JobControl, the snapshot reducer, and runJobInProcess.
 */
import { describe, expect, it } from 'vitest';
import { createJobControl } from '../../../src/node/jobs/control';
import { applyJobEvent, MAX_METRIC_POINTS } from '../../../src/node/jobs/job-record';
import { runJobInProcess } from '../../../src/node/jobs/in-process';
import type { JobSnapshot } from '../../../src/shared/dto';
import { StudioError } from '../../../src/shared/result';
import type { JobHandler } from '../../../src/worker/job-types';
import { jobModules, loadJobHandler } from '../../../src/worker/jobs/index';

describe('job registry', () => {
  it('lists every job kind', () => {
    expect(Object.keys(jobModules).sort()).toEqual(['edit', 'eval', 'import', 'sample', 'tokenize', 'train']);
  });
  it('turns a missing module, a module without handler and an unknown kind into UNAVAILABLE', async () => {
    const modules = {
      train: () => Promise.reject(new Error("Cannot find module './train'")),
      eval: async () => ({}),
    };
    await expect(loadJobHandler('train', modules)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining("Cannot find module './train'") });
    await expect(loadJobHandler('eval', modules)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('does not export a handler') });
    await expect(loadJobHandler('toString', modules)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('job control', () => {
  it('holds the pause gate until resume, and releases it on cancel', async () => {
    const control = createJobControl();
    await control.pauseGate(); // open while running
    control.pause();
    let passed = false;
    const gate = control.pauseGate().then(() => (passed = true));
    await new Promise((done) => setTimeout(done, 20));
    expect(passed).toBe(false);
    control.resume();
    await gate;
    expect(passed).toBe(true);

    control.pause();
    const held = control.pauseGate();
    control.cancel();
    await held;
    expect(control.signal.aborted).toBe(true);
  });
});

describe('snapshot reducer', () => {
  const base: JobSnapshot = { jobId: 'j', kind: 'train', state: 'running', startedAt: 0, metrics: [], request: {} };
  it('keeps backend, last progress and metrics without mutating the input', () => {
    let s = applyJobEvent(base, { jobId: 'j', kind: 'train', type: 'started', backend: 'wasm' });
    s = applyJobEvent(s, { jobId: 'j', kind: 'train', type: 'progress', done: 3, total: 9, etaSec: 4 });
    s = applyJobEvent(s, { jobId: 'j', kind: 'train', type: 'metrics', point: { step: 1, wallSec: 1 } });
    expect(s).toMatchObject({ backend: 'wasm', lastProgress: { done: 3, total: 9, etaSec: 4 }, metrics: [{ step: 1, wallSec: 1 }] });
    expect(base.metrics).toEqual([]);
  });
  it('thins metrics beyond the cap but keeps the newest point', () => {
    let s: JobSnapshot = { ...base, metrics: Array.from({ length: MAX_METRIC_POINTS }, (_, i) => ({ step: i, wallSec: i })) };
    s = applyJobEvent(s, { jobId: 'j', kind: 'train', type: 'metrics', point: { step: -1, wallSec: 0 } });
    expect(s.metrics.length).toBeLessThanOrEqual(MAX_METRIC_POINTS / 2 + 1);
    expect(s.metrics[s.metrics.length - 1].step).toBe(-1);
  });
});

describe('runJobInProcess', () => {
  const counting: JobHandler = async (request, ctx) => {
    const n = (request as { n: number }).n;
    for (let i = 1; i <= n; i++) {
      await ctx.pauseGate();
      if (ctx.signal.aborted) throw new Error('stopped');
      ctx.emit({ type: 'progress', done: i, total: n });
      await new Promise((done) => setTimeout(done, 5));
    }
    return { n, backend: ctx.backend };
  };
  const loadHandler = async (): Promise<JobHandler> => counting;

  it('returns the result and forwards events', async () => {
    const seen: number[] = [];
    const result = await runJobInProcess('train', { n: 3 }, {
      workspace: '/tmp/w', backend: 'cpu', loadHandler,
      onEvent: (e) => e.type === 'progress' && seen.push(e.done),
    });
    expect(result).toEqual({ n: 3, backend: 'cpu' });
    expect(seen).toEqual([1, 2, 3]);
  });
  it('rejects with CANCELLED when its signal aborts', async () => {
    const abort = new AbortController();
    const running = runJobInProcess('train', { n: 1000 }, { workspace: '/tmp/w', loadHandler, signal: abort.signal });
    setTimeout(() => abort.abort(), 30);
    await expect(running).rejects.toSatisfy((e: unknown) => e instanceof StudioError && e.code === 'CANCELLED');
  });
  it('rejects with the job error code', async () => {
    const failing: JobHandler = async () => {
      throw new StudioError('NAN_LOSS', 'loss became NaN at step 4');
    };
    await expect(runJobInProcess('train', {}, { workspace: '/tmp/w', loadHandler: async () => failing })).rejects.toMatchObject({ code: 'NAN_LOSS' });
  });
});
