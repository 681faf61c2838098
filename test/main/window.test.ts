/**
 * The studio window (Electron mocked): hardened web preferences, the CSP on every
 * response, permissions refused, links to other sites sent to the user's browser and
 * never opened in the app, bounds remembered.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, electronState, FakeBrowserWindow } from './electron-mock';

vi.mock('electron', () => electronMock());

const electron = await import('electron');
const { createMainWindow, cspFor, installSessionPolicy, validBounds, windowOptions } = await import('../../src/main/window');

const APP_URL = 'file:///opt/studio/out/renderer/index.html';

beforeEach(() => {
  FakeBrowserWindow.created = [];
  vi.mocked(electron.shell.openExternal).mockClear();
});

function openWindow(onBoundsChanged = vi.fn()): FakeBrowserWindow {
  createMainWindow({ appUrl: APP_URL, preloadPath: '/opt/studio/out/preload/index.cjs', isAppUrl: (u) => u === APP_URL, onBoundsChanged });
  return FakeBrowserWindow.created[0];
}

describe('window options', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security', () => {
    const prefs = windowOptions({ width: 1000, height: 700 }, '/p/index.cjs').webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/p/index.cjs' });
  });

  it('creates the window with those options and loads the app page', () => {
    const window = openWindow();
    expect((window.options.webPreferences as Record<string, unknown>).sandbox).toBe(true);
    expect(window.loadURL).toHaveBeenCalledWith(APP_URL);
  });
});

describe('navigation', () => {
  it('opens web links externally and denies every new window', () => {
    const contents = openWindow().webContents;
    expect(contents.openHandler!({ url: 'https://arxiv.org/abs/2406.19997' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://arxiv.org/abs/2406.19997');
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('keeps the window on the app: foreign navigations are prevented', () => {
    const contents = openWindow().webContents;
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    const home = { preventDefault: vi.fn() };
    contents.emit('will-navigate', home, APP_URL);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect, 'https://example.com/landing');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = { preventDefault: vi.fn(), url: 'https://example.com/frame' };
    contents.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});

describe('session policy', () => {
  it('adds the strict CSP to every response and refuses permissions', () => {
    installSessionPolicy(APP_URL);
    let headers: Record<string, string[]> = {};
    electronState.headersListener!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("default-src 'self'");
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(headers['content-type']).toEqual(['text/html']);
    const answers: boolean[] = [];
    electronState.permissionHandler!({}, 'media', (allow) => answers.push(allow));
    electronState.permissionHandler!({}, 'geolocation', (allow) => answers.push(allow));
    expect(answers).toEqual([false, false]);
    expect(electronState.permissionCheck!({}, 'media')).toBe(false);
    expect(electronState.permissionCheck!({}, 'clipboard-sanitized-write')).toBe(true);
    expect(electronState.devicePermission!({ deviceType: 'usb' })).toBe(false);
  });

  it('lets only a dev server add its own websocket', () => {
    expect(cspFor(APP_URL)).not.toContain('ws:');
    expect(cspFor('http://localhost:5173/')).toContain("connect-src 'self' ws://localhost:5173");
  });
});

describe('bounds', () => {
  it('saves the bounds when the window closes', () => {
    const saved = vi.fn();
    openWindow(saved).emit('close');
    expect(saved).toHaveBeenCalledWith({ x: 10, y: 20, width: 1100, height: 700 });
  });

  it('accepts only sane saved bounds', () => {
    expect(validBounds({ x: 5, y: 6, width: 1000, height: 700 })).toEqual({ x: 5, y: 6, width: 1000, height: 700 });
    expect(validBounds({ width: 1000, height: 700, x: 'a' })).toEqual({ width: 1000, height: 700 });
    expect(validBounds({ width: 10, height: 700 })).toBeUndefined();
    expect(validBounds('big')).toBeUndefined();
  });

  it('drops a saved position that is on no display', () => {
    createMainWindow({ appUrl: APP_URL, preloadPath: '/p', bounds: { x: 5000, y: 5000, width: 1000, height: 700 }, isAppUrl: () => true, onBoundsChanged: vi.fn() });
    expect(FakeBrowserWindow.created[0].options).toMatchObject({ width: 1000, height: 700 });
    expect(FakeBrowserWindow.created[0].options.x).toBeUndefined();
  });
});
