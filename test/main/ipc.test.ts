/**
 * IPC registration (Electron mocked): one handler per channel under 'studio:', every call
 * validated by the shared schemas, calls from foreign pages or sub-frames refused; also
 * where the app finds its bundle and the --workspace flag.
 */
import { describe, expect, it, vi } from 'vitest';
import { channels, IPC_INVOKE_PREFIX } from '../../src/shared/api';
import type { JobSupervisor } from '../../src/node/jobs/types';
import { electronMock, electronState } from './electron-mock';

vi.mock('electron', () => electronMock());

const { registerIpc, isTrustedPageUrl } = await import('../../src/main/ipc');
const { appPaths, workspaceFlag } = await import('../../src/main/app');
const { createStudioService } = await import('../../src/node/service/index');

const APP_URL = 'file:///opt/studio/out/renderer/index.html';
const jobs = { list: () => [], get: () => ({}), onEvent: () => () => undefined } as unknown as JobSupervisor;
const frame = (url: string, parent: unknown = null): { senderFrame: { url: string; parent: unknown } } => ({ senderFrame: { url, parent } });

describe('registerIpc', () => {
  const unregister = registerIpc(createStudioService({ workspace: '/w', jobs, mode: 'electron' }), APP_URL);

  it('registers exactly the StudioApi channels', () => {
    expect([...electronState.handlers.keys()].sort()).toEqual(channels.map((c) => IPC_INVOKE_PREFIX + c).sort());
  });

  it('dispatches a call from the app page', async () => {
    const result = await electronState.handlers.get('studio:system.info')!(frame(`${APP_URL}#/datasets`), {});
    expect(result).toMatchObject({ ok: true, value: { mode: 'electron', workspace: '/w' } });
  });

  it('validates payloads with the shared schemas', async () => {
    const result = await electronState.handlers.get('studio:jobs.get')!(frame(APP_URL), { jobId: 'a', extra: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('extra') } });
  });

  it('refuses foreign pages and sub-frames', async () => {
    for (const event of [frame('https://evil.example/'), frame('file:///tmp/other.html'), frame(APP_URL, {}), { senderFrame: null }]) {
      expect(await electronState.handlers.get('studio:system.info')!(event, {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('removes every handler again', () => {
    unregister();
    expect(electronState.handlers.size).toBe(0);
  });
});

describe('app wiring', () => {
  it('trusts the dev server origin only in dev', () => {
    expect(isTrustedPageUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedPageUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedPageUrl('not a url', APP_URL)).toBe(false);
    // the packaged page: its own path on this machine, not the same path on another host
    expect(isTrustedPageUrl('file:///app/out/renderer/index.html#/sampler', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(isTrustedPageUrl('file://otherhost/app/out/renderer/index.html', 'file:///app/out/renderer/index.html')).toBe(false);
  });

  it('finds preload, job host and page beside out/main; a non-local dev URL is ignored', () => {
    expect(appPaths('/app/out/main', {})).toEqual({
      appUrl: 'file:///app/out/renderer/index.html',
      preload: '/app/out/preload/index.cjs',
      jobHost: '/app/out/main/job-host.js',
    });
    expect(appPaths('/app/out/main', { ELECTRON_RENDERER_URL: 'http://localhost:5173' }).appUrl).toBe('http://localhost:5173');
    expect(appPaths('/app/out/main', { ELECTRON_RENDERER_URL: 'https://evil.example' }).appUrl).toBe('file:///app/out/renderer/index.html');
    for (const lookalike of ['http://localhost.evil.example:5173', 'http://127.0.0.1.evil.example/', 'http://localhost@evil.example/', 'http://user@localhost:5173/']) {
      expect(appPaths('/app/out/main', { ELECTRON_RENDERER_URL: lookalike }).appUrl).toBe('file:///app/out/renderer/index.html');
    }
    expect(appPaths('/app/out/main', { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true).appUrl).toBe('file:///app/out/renderer/index.html');
  });

  it('reads --workspace in both spellings', () => {
    expect(workspaceFlag(['electron', '.', '--workspace', '/ws'])).toBe('/ws');
    expect(workspaceFlag(['electron', '--workspace=/ws2'])).toBe('/ws2');
    expect(workspaceFlag(['electron'])).toBeUndefined();
  });
});
