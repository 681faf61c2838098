/**
 * The studio window: hardened web preferences (context isolation, sandbox, no Node),
 * the Content-Security-Policy on every response, links to other sites opened in the
 * user's browser and never inside the app, and window bounds that persist.
 * Used by: main/app.ts.
 */
import { BrowserWindow, screen, session, shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { STUDIO_CSP } from '../node/server/security';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 820 };
const MIN_SIZE = { width: 900, height: 600 };

/** Accepts saved bounds only when they are sane numbers; otherwise undefined. */
export function validBounds(raw: unknown): WindowBounds | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (!int(r.width) || !int(r.height) || r.width < MIN_SIZE.width || r.height < MIN_SIZE.height) return undefined;
  if (r.width > 20000 || r.height > 20000) return undefined;
  const placed = int(r.x) && int(r.y);
  return placed ? { x: r.x as number, y: r.y as number, width: r.width, height: r.height } : { width: r.width, height: r.height };
}

/** Drops the position when it lies on no current display (a monitor was unplugged). */
function onScreen(bounds: WindowBounds): WindowBounds {
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const { x, y } = bounds;
  const visible = screen.getAllDisplays().some(({ workArea: a }) => x + 64 > a.x && x < a.x + a.width - 64 && y >= a.y && y < a.y + a.height - 64);
  return visible ? bounds : { width: bounds.width, height: bounds.height };
}

export function windowOptions(bounds: WindowBounds, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Wavelet Studio',
    show: false,
    backgroundColor: '#16181d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** The CSP header; a dev server additionally needs its websocket for hot reload. */
export function cspFor(appUrl: string): string {
  const url = new URL(appUrl);
  if (url.protocol !== 'http:') return STUDIO_CSP;
  return STUDIO_CSP.replace("connect-src 'self'", `connect-src 'self' ws://${url.host}`);
}

export function installSessionPolicy(appUrl: string): void {
  const csp = cspFor(appUrl);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } });
  });
  // The studio needs no camera, microphone, notifications or geolocation.
  const allowed = (permission: string): boolean => permission === 'clipboard-sanitized-write';
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowed(permission));
  // no USB, HID, serial or Bluetooth devices for a page
  session.defaultSession.setDevicePermissionHandler(() => false);
}

const isWebLink = (url: string): boolean => /^https?:\/\//i.test(url);

/** New windows and navigations away from the app go to the user's browser instead. */
export function guardNavigation(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isWebLink(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-frame-navigate', (event) => keepInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface MainWindowOptions {
  appUrl: string;
  preloadPath: string;
  bounds?: WindowBounds;
  isAppUrl(url: string): boolean;
  /** Called (debounced) with the new bounds after a move or resize, and on close. */
  onBoundsChanged(bounds: WindowBounds): void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(windowOptions(onScreen(options.bounds ?? DEFAULT_BOUNDS), options.preloadPath));
  guardNavigation(window.webContents, options.isAppUrl);
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    clearTimeout(timer);
    if (!window.isDestroyed() && !window.isMinimized() && !window.isFullScreen()) options.onBoundsChanged(window.getNormalBounds());
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', save);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.appUrl);
  return window;
}
