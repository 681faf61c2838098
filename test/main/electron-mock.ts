/**
 * A stand-in for the parts of Electron the main process uses, recording what it is given.
 * Tests call `vi.mock('electron', () => electronMock())` after importing this file.
 * Used by: test/main/*.test.ts.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

export class FakeWebContents {
  openHandler?: (details: { url: string }) => { action: string };
  listeners = new Map<string, Listener[]>();
  send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

export class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  listeners = new Map<string, Listener[]>();
  loadURL = vi.fn(async () => undefined);
  constructor(public options: Record<string, unknown>) {
    FakeBrowserWindow.created.push(this);
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  isDestroyed = (): boolean => false;
  isMinimized = (): boolean => false;
  isFullScreen = (): boolean => false;
  getNormalBounds = (): { x: number; y: number; width: number; height: number } => ({ x: 10, y: 20, width: 1100, height: 700 });
  show = vi.fn();
}

export const electronState = {
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  headersListener: undefined as undefined | ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permissionHandler: undefined as undefined | ((wc: unknown, permission: string, cb: (allow: boolean) => void) => void),
  permissionCheck: undefined as undefined | ((wc: unknown, permission: string) => boolean),
  devicePermission: undefined as undefined | ((details: unknown) => boolean),
};

export function electronMock(): Record<string, unknown> {
  return {
    BrowserWindow: FakeBrowserWindow,
    shell: { openExternal: vi.fn(async () => undefined) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (l: typeof electronState.headersListener) => (electronState.headersListener = l) },
        setPermissionRequestHandler: (h: typeof electronState.permissionHandler) => (electronState.permissionHandler = h),
        setPermissionCheckHandler: (h: typeof electronState.permissionCheck) => (electronState.permissionCheck = h),
        setDevicePermissionHandler: (h: typeof electronState.devicePermission) => (electronState.devicePermission = h),
      },
    },
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => electronState.handlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => electronState.handlers.delete(channel)),
    },
    utilityProcess: { fork: vi.fn() },
    app: {},
    dialog: {},
  };
}
