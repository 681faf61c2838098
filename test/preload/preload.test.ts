/**
 * The preload (Electron mocked): exposes exactly one object, `studio`, whose calls go to
 * whitelisted 'studio:<channel>' IPC channels; job listeners never see Electron's event
 * object; nothing of ipcRenderer leaks; the file imports only electron and src/shared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { channels, IPC_EVENT_CHANNEL, type StudioApi } from '../../src/shared/api';

const exposed = vi.hoisted(() => new Map<string, unknown>());
const ipc = vi.hoisted(() => ({
  invoke: vi.fn(async (_channel: string, _request: unknown): Promise<unknown> => ({ ok: true, value: 'pong' })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)) },
  ipcRenderer: ipc,
}));

await import('../../src/preload/index');
const studio = exposed.get('studio') as StudioApi;

describe('preload', () => {
  it('exposes only `studio`, with one group per API group and onJobEvent', () => {
    expect([...exposed.keys()]).toEqual(['studio']);
    const groups = [...new Set(channels.map((c) => c.split('.')[0]))].sort();
    expect(Object.keys(studio).sort()).toEqual([...groups, 'onJobEvent'].sort());
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'require', 'process']) expect(studio).not.toHaveProperty(forbidden);
  });

  it('sends each call to its whitelisted studio: channel', async () => {
    expect(await studio.system.info({})).toEqual({ ok: true, value: 'pong' });
    expect(ipc.invoke).toHaveBeenLastCalledWith('studio:system.info', {});
    await studio.system.pickPath({ purpose: 'import-folder' });
    expect(ipc.invoke).toHaveBeenLastCalledWith('studio:system.pickPath', { purpose: 'import-folder' });
    await studio.jobs.get({ jobId: 'j1' });
    expect(ipc.invoke).toHaveBeenLastCalledWith('studio:jobs.get', { jobId: 'j1' });
    const invoked = ipc.invoke.mock.calls.map((c) => c[0]);
    expect(invoked.every((c) => channels.includes(c.replace('studio:', '') as (typeof channels)[number]))).toBe(true);
  });

  it('turns an IPC failure into an error value instead of a throw', async () => {
    ipc.invoke.mockRejectedValueOnce(new Error('No handler registered'));
    expect(await studio.runs.list({})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'No handler registered' } });
  });

  it('delivers job events without the IPC event object and unsubscribes', () => {
    const listener = vi.fn();
    const off = studio.onJobEvent(listener);
    const [channel, wrapped] = ipc.on.mock.calls[0] as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe(IPC_EVENT_CHANNEL);
    const payload = { jobId: 'j', kind: 'train', type: 'state', state: 'running' };
    wrapped({ sender: 'secret ipc object' }, payload);
    expect(listener).toHaveBeenCalledWith(payload);
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, wrapped);
  });

  it('imports nothing but electron and src/shared', () => {
    const source = readFileSync(new URL('../../src/preload/index.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec === 'electron' || spec.startsWith('../shared/'), spec).toBe(true);
  });
});
