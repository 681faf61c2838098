/**
 * The browser-mode server on a real loopback port: the token, origin and host checks,
 * validation errors that name the field, size and JSON limits, static files without
 * traversal, and job events over server-sent events from a real (test) job process.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService } from '../../../src/node/service/index';
import { startStudioServer, type StudioServer } from '../../../src/node/server/index';
import type { JobSupervisor } from '../../../src/node/jobs/types';
import type { JobEvent } from '../../../src/shared/dto';
import { testSupervisor } from '../jobs/helpers';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: StudioServer;
let jobs: JobSupervisor;
const secret = 'TOP-SECRET-OUTSIDE-ROOT';

function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((done, failed) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', failed);
    req.end(init.body);
  });
}

const call = (channel: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
  raw(`/api/call/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-studio-token': server.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'studio-server-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), secret);
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  jobs = testSupervisor(join(base, 'ws'));
  const handlers = createStudioService({ workspace: join(base, 'ws'), jobs, mode: 'browser' });
  server = await startStudioServer({ handlers, jobs, staticRoot: root, port: 0, heartbeatMs: 50 });
});
afterAll(async () => {
  await jobs.shutdown();
  await server.close();
});

describe('API calls', () => {
  it('answers a valid call with a Result, on 127.0.0.1 only', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    const res = await call('system.info', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'browser', version: expect.any(String) } });
  });

  it('refuses a missing or wrong token with 401 UNAUTHORIZED', async () => {
    for (const headers of [{ 'x-studio-token': '' }, { 'x-studio-token': 'f'.repeat(64) }]) {
      const res = await call('system.info', {}, headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('refuses a foreign Origin (403) but accepts its own', async () => {
    const foreign = await call('system.info', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('UNAUTHORIZED');
    expect((await call('system.info', {}, { origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await call('system.info', {}, { origin: server.origin })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await call('system.info', {}, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await raw('/', { headers: { host: `localhost:${server.port}` } })).status).toBe(403);
  });

  it('rejects malformed payloads with 400 BAD_REQUEST naming the field', async () => {
    const wrongType = await call('jobs.get', { jobId: 5 });
    expect(wrongType.status).toBe(400);
    const error = JSON.parse(wrongType.body).error;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^jobs\.get: jobId: /);
    const nested = JSON.parse((await call('jobs.sample', { modelId: 'm', classIndex: 1, sampling: { temperature: -1 } })).body);
    expect(nested.error.message).toContain('sampling.temperature');
  });

  it('rejects unknown keys', async () => {
    const res = await call('system.info', { extra: 1 });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toContain('extra');
  });

  it('answers 400 for bad JSON, 404 for an unknown channel, 413 for a body over 8 MB', async () => {
    const badJson = await call('system.info', '{"a":');
    expect([badJson.status, JSON.parse(badJson.body).error.code]).toEqual([400, 'BAD_REQUEST']);
    const unknown = await call('system.reboot', {});
    expect([unknown.status, JSON.parse(unknown.body).error.code]).toEqual([404, 'NOT_FOUND']);
    const big = await call('system.info', JSON.stringify({ pad: 'x'.repeat(9 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).ok).toBe(false);
  });

  it('answers or drops a chunked body that never stops, and keeps serving', async () => {
    const small = await startStudioServer({ handlers: createStudioService({ workspace: mkdtempSync(join(tmpdir(), 'studio-small-')), jobs, mode: 'browser' }), jobs, staticRoot: mkdtempSync(join(tmpdir(), 'studio-root-')), port: 0, maxBodyBytes: 1024 });
    try {
      const outcome = await new Promise<string>((done) => {
        const req = httpRequest({ host: '127.0.0.1', port: small.port, path: '/api/call/system.info', method: 'POST', headers: { 'x-studio-token': small.token } }, (res) => {
          res.resume();
          res.on('end', () => done(`status ${res.statusCode}`));
        });
        req.on('error', () => done('dropped'));
        const chunk = Buffer.alloc(4096, 32);
        const pump = (): void => {
          for (let i = 0; i < 64 && !req.destroyed; i++) req.write(chunk);
          if (!req.destroyed) setTimeout(pump, 1);
        };
        pump();
      });
      expect(['status 413', 'dropped']).toContain(outcome);
      const after = await new Promise<number>((done, failed) => {
        const req = httpRequest({ host: '127.0.0.1', port: small.port, path: '/api/call/system.info', method: 'POST', headers: { 'x-studio-token': small.token, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', failed);
        req.end('{}');
      });
      expect(after).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('keeps handler errors as values with their code (200)', async () => {
    const res = await call('jobs.get', { jobId: 'missing-job' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no job "missing-job"' } });
  });
});

describe('static files', () => {
  it('serves index.html for / with CSP and nosniff, and assets with their type', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>studio</title>');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const js = await raw('/assets/app.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('refuses every path out of the root, including symlinks', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.txt', '/%00index.html', '/..%5csecret.txt']) {
      const res = await raw(path);
      expect(res.status, path).not.toBe(200);
      expect(res.body, path).not.toContain(secret);
    }
    expect((await raw('/nothing-here.js')).status).toBe(404);
  });
});

describe('job events', () => {
  it('refuses the event stream without the token', async () => {
    expect((await raw('/api/events')).status).toBe(401);
  });

  it('streams a job\'s events as server-sent events, with heartbeats', async () => {
    const lines: string[] = [];
    const stream = httpRequest({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` });
    const opened = new Promise<string | undefined>((done) => stream.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => lines.push(...chunk.split('\n')));
      done(res.headers['content-type']);
    }));
    stream.end();
    expect(await opened).toMatch(/^text\/event-stream/);

    const train = { datasetId: 'd', tokenizer: { wavelet: 'haar', finalExponent: 0, variant: 'blocks' }, preset: 'tiny' };
    const started = JSON.parse((await call('jobs.train', train)).body);
    expect(started).toMatchObject({ ok: true, value: { kind: 'train' } });
    const jobId: string = started.value.jobId;
    const events = (): { type: string; jobId: string }[] =>
      lines.filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { type: string; jobId: string });
    const until = Date.now() + 15_000;
    while (!events().some((e) => e.jobId === jobId && e.type === 'done') && Date.now() < until) await new Promise((d) => setTimeout(d, 20));
    stream.destroy();
    const types = events().filter((e) => e.jobId === jobId).map((e) => e.type);
    expect(types[0]).toBe('state');
    expect(types).toContain('progress');
    expect(types).toContain('done');
    expect(lines).toContain(': heartbeat');
    // a reloaded page asks for the snapshot and sees the result
    const snap = JSON.parse((await call('jobs.get', { jobId })).body);
    expect(snap.value).toMatchObject({ state: 'done', result: { steps: 40 } });
  });

  it('closes the stream of a page that stops reading instead of holding its events', async () => {
    const listeners = new Set<(e: JobEvent) => void>();
    const fake = { onEvent: (l: (e: JobEvent) => void) => (listeners.add(l), () => void listeners.delete(l)) };
    const handlers = createStudioService({ workspace: join(tmpdir(), 'unused-ws'), jobs, mode: 'browser' });
    const small = await startStudioServer({ handlers, jobs: fake, staticRoot: tmpdir(), port: 0, heartbeatMs: 60_000, maxEventBacklogBytes: 64 * 1024 });
    try {
      const socket = connect(small.port, '127.0.0.1');
      socket.write(`GET /api/events?token=${small.token} HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\n\r\n`);
      const closed = new Promise<void>((done) => socket.on('close', () => done()));
      socket.once('data', () => socket.pause()); // reads the response head, then nothing more
      const until = Date.now() + 10_000;
      while (listeners.size === 0 && Date.now() < until) await new Promise((d) => setTimeout(d, 10));
      expect(listeners.size).toBe(1);
      const big: JobEvent = { jobId: 'j', kind: 'sample', type: 'progress', done: 1, total: 2, message: 'x'.repeat(16 * 1024) };
      for (let i = 0; i < 4000 && listeners.size > 0; i++) {
        for (const l of [...listeners]) l(big);
        if (i % 50 === 0) await new Promise((d) => setTimeout(d, 1));
      }
      expect(listeners.size).toBe(0); // the server let go of the stalled stream
      socket.resume();
      await closed;
    } finally {
      await small.close();
    }
  });
});
