/**
 * The app lifecycle (Electron mocked): a second instance quits; the first opens the
 * window from saved bounds, answers IPC, forwards job events to the window, saves bounds,
 * and on quit stops jobs before it lets the app end.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL } from '../../src/shared/api';
import { electronMock, electronState, FakeBrowserWindow } from './electron-mock';

class FakeApp extends EventEmitter {
  lock = true;
  requestSingleInstanceLock = vi.fn(() => this.lock);
  whenReady = vi.fn(async () => undefined);
  quit = vi.fn();
}
class FakeUtility extends EventEmitter {
  postMessage = vi.fn();
  kill = vi.fn();
}

const fakeApp = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock('electron', () => ({
  ...electronMock(),
  get app() {
    return fakeApp.current;
  },
  dialog: { showErrorBox: vi.fn() },
}));

const electron = await import('electron');
const { runApp } = await import('../../src/main/app');

let app: FakeApp;
let workspace: string;
beforeEach(() => {
  app = new FakeApp();
  fakeApp.current = app;
  FakeBrowserWindow.created = [];
  electronState.handlers.clear();
  workspace = mkdtempSync(join(tmpdir(), 'studio-app-'));
  vi.stubEnv('WAVELET_STUDIO_HOME', workspace);
});
afterEach(() => vi.unstubAllEnvs());

describe('runApp', () => {
  it('quits at once when another instance holds the lock', async () => {
    app.lock = false;
    await runApp();
    expect(app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('runs the studio: window, IPC, job events, bounds, clean quit', async () => {
    writeFileSync(join(workspace, 'settings.json'), JSON.stringify({ window: { x: 50, y: 60, width: 1000, height: 700 } }));
    const child = new FakeUtility();
    vi.mocked(electron.utilityProcess.fork).mockReturnValue(child as unknown as Electron.UtilityProcess);
    await runApp();

    const window = FakeBrowserWindow.created[0];
    expect(window.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700 });
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(/preload[\\/]index\.cjs$/);

    const page = (window.loadURL.mock.calls[0] as unknown as [string])[0];
    const info = await electronState.handlers.get('studio:system.info')!({ senderFrame: { url: page, parent: null } }, {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', workspace } });

    const started = (await electronState.handlers.get('studio:jobs.eval')!({ senderFrame: { url: page, parent: null } }, { modelId: 'm' })) as { ok: boolean };
    expect(started.ok).toBe(true);
    expect(window.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.objectContaining({ type: 'state', kind: 'eval' }));
    expect(electron.utilityProcess.fork).toHaveBeenCalledWith(expect.stringMatching(/job-host\.js$/), [], expect.anything());

    window.emit('close');
    await vi.waitFor(() => expect(JSON.parse(readFileSync(join(workspace, 'settings.json'), 'utf8')).window).toEqual({ x: 10, y: 20, width: 1100, height: 700 }));

    const quitEvent = { preventDefault: vi.fn() };
    app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    expect(child.postMessage).not.toHaveBeenCalledWith({ type: 'cancel' }); // not spawned yet: queued
    child.emit('spawn');
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'cancel' });
    child.emit('exit', 0);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  });
});
