/**
 * The service door used by IPC and HTTP alike: validation with the channel's schema
 * (defaults applied, unknown keys refused, fields named), errors as values with their
 * code, the jobs.* handlers reaching the supervisor, and the cheap backend probe.
 */
import { describe, expect, it, vi } from 'vitest';
import { channels, type StudioHandlers } from '../../../src/shared/api';
import { StudioError } from '../../../src/shared/result';
import { createStudioService, dispatch } from '../../../src/node/service/index';
import { probeBackends } from '../../../src/node/service/system';
import type { JobSupervisor } from '../../../src/node/jobs/types';

function fakeJobs(): JobSupervisor {
  return {
    start: vi.fn((kind) => ({ jobId: 'job-1', kind })),
    list: vi.fn(() => []),
    get: vi.fn((jobId: string) => {
      throw new StudioError('NOT_FOUND', `no job "${jobId}"`);
    }),
    cancel: vi.fn(() => 'running' as const),
    pause: vi.fn(() => 'paused' as const),
    resume: vi.fn(() => 'running' as const),
    onEvent: vi.fn(() => () => undefined),
    shutdown: vi.fn(async () => undefined),
  };
}

describe('createStudioService', () => {
  it('has a handler for every channel', () => {
    const handlers = createStudioService({ workspace: '/w', jobs: fakeJobs(), mode: 'browser' });
    for (const channel of channels) expect(typeof handlers[channel], channel).toBe('function');
  });
});

describe('dispatch', () => {
  it('passes the parsed request (defaults applied) and wraps the value', async () => {
    const jobs = fakeJobs();
    const handlers = createStudioService({ workspace: '/w', jobs, mode: 'browser' });
    const result = await dispatch(handlers, 'jobs.sample', { modelId: 'm1', classIndex: 3 });
    expect(result).toEqual({ ok: true, value: { jobId: 'job-1', kind: 'sample' } });
    const [kind, request] = vi.mocked(jobs.start).mock.calls[0];
    expect(kind).toBe('sample');
    expect(request).toMatchObject({ modelId: 'm1', classIndex: 3, count: 1, sampling: { temperature: 1, topK: 0, topP: 1 } });
  });

  it('hands the train backend to the supervisor', async () => {
    const jobs = fakeJobs();
    const handlers = createStudioService({ workspace: '/w', jobs, mode: 'browser' });
    const train = { datasetId: 'd', tokenizer: { wavelet: 'haar', finalExponent: 0, variant: 'blocks' }, preset: 'tiny', backend: 'wasm' };
    await dispatch(handlers, 'jobs.train', train);
    expect(vi.mocked(jobs.start).mock.calls[0][2]).toEqual({ backend: 'wasm' });
    // a model to start from is named by id only: never a path from the page
    await dispatch(handlers, 'jobs.train', { ...train, initFrom: 'mnist-small' });
    expect(vi.mocked(jobs.start).mock.calls[1][1]).toMatchObject({ initFrom: 'mnist-small' });
    for (const initFrom of ['../../etc', '/root/run', 'a/b', '']) {
      expect(await dispatch(handlers, 'jobs.train', { ...train, initFrom }), initFrom).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('initFrom') } });
    }
    expect(jobs.start).toHaveBeenCalledTimes(2);
  });

  it('refuses bad payloads before any handler runs, naming the fields', async () => {
    const handlers = { 'jobs.get': vi.fn() } as unknown as StudioHandlers;
    const missing = await dispatch(handlers, 'jobs.get', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^jobs\.get: jobId: /) } });
    const extra = await dispatch(handlers, 'jobs.get', { jobId: 'a', sneaky: true });
    expect(extra.ok === false && extra.error.message).toContain('sneaky');
    const notObject = await dispatch(handlers, 'jobs.get', 'a string');
    expect(notObject.ok).toBe(false);
    expect(handlers['jobs.get']).not.toHaveBeenCalled();
  });

  it('checks fields against each other: rollback needs a long enough prefix, a mask needs width x height bits', async () => {
    const handlers = { 'jobs.sample': vi.fn(), 'jobs.edit': vi.fn() } as unknown as StudioHandlers;
    const noPrefix = await dispatch(handlers, 'jobs.sample', { modelId: 'm', classIndex: 1, from: 3 });
    expect(noPrefix).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/from/) } });
    const short = await dispatch(handlers, 'jobs.sample', { modelId: 'm', classIndex: 1, from: 5, prefix: { tokens: [2, 3], startExponent: 0 } });
    expect(short.ok).toBe(false);
    const mask = { width: 2, height: 2, bits: '010' };
    const badMask = await dispatch(handlers, 'jobs.edit', { modelId: 'm', classIndex: 0, source: { tokens: [], startExponent: 0 }, mask });
    expect(badMask).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/bits/) } });
    expect(handlers['jobs.sample']).not.toHaveBeenCalled();
    expect(handlers['jobs.edit']).not.toHaveBeenCalled();
  });

  it('answers NOT_FOUND for unknown channels and keeps error codes of handlers', async () => {
    const handlers = createStudioService({ workspace: '/w', jobs: fakeJobs(), mode: 'electron' });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(handlers, 'jobs.get', { jobId: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no job "x"' } });
    const boom = { 'system.info': async () => { throw new TypeError('kaput'); } } as unknown as StudioHandlers;
    expect(await dispatch(boom, 'system.info', undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'kaput' } });
  });

  it('reports system info with mode and workspace', async () => {
    const handlers = createStudioService({ workspace: '/data/ws', jobs: fakeJobs(), mode: 'electron' });
    const result = await dispatch(handlers, 'system.info', {});
    expect(result).toMatchObject({ ok: true, value: { mode: 'electron', workspace: '/data/ws', version: expect.stringMatching(/^\d+\.\d+\.\d+/) } });
  });
});

describe('probeBackends', () => {
  it('lists backends best first with reasons', () => {
    const installed = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node-gpu']);
    const linux = probeBackends({ platform: 'linux', arch: 'x64', resolves: (m) => installed.has(m) });
    expect(linux).toEqual([
      { name: 'tensorflow-gpu', available: true },
      { name: 'tensorflow', available: false, reason: 'not installed' },
      { name: 'wasm', available: true },
      { name: 'cpu', available: true },
    ]);
    const mac = probeBackends({ platform: 'darwin', arch: 'arm64', resolves: () => true });
    expect(mac[0]).toEqual({ name: 'tensorflow-gpu', available: false, reason: 'needs Linux x64 with CUDA' });
  });
});
