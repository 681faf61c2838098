/**
 * The desktop app's lifecycle: single instance, workspace, job supervisor (utility
 * processes), IPC, the native file dialogs and their picked-path allow-list, the window, job events to the renderer, and a clean quit that cancels
 * running jobs first. Thin by design: no model code runs here.
 * Used by: main/index.ts.
 */
import { app, BrowserWindow, dialog, webContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL } from '../shared/api';
import { createJobSupervisor } from '../node/jobs/supervisor';
import { createStudioService } from '../node/service/index';
import { ensureWorkspace, readSettings, resolveWorkspace, updateSettings } from '../node/workspace';
import { registerIpc, isTrustedPageUrl } from './ipc';
import { createUtilitySpawn } from './job-process';
import { createPathPicker } from './picker';
import { createMainWindow, installSessionPolicy, validBounds, type WindowBounds } from './window';

export interface AppPaths {
  appUrl: string;
  preload: string;
  jobHost: string;
}

/** An http(s) address on this machine (the dev server), judged by its parsed host name. */
function isLoopbackHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Where the bundle's pieces are, relative to out/main; a dev server URL wins for the page. */
export function appPaths(mainDir: string, env: Record<string, string | undefined> = process.env, packaged = false): AppPaths {
  // a packaged app never loads a dev server, whatever its environment says
  const devUrl = packaged ? undefined : env.ELECTRON_RENDERER_URL;
  return {
    appUrl: devUrl && isLoopbackHttpUrl(devUrl) ? devUrl : pathToFileURL(join(mainDir, '../renderer/index.html')).href,
    preload: join(mainDir, '../preload/index.cjs'),
    jobHost: join(mainDir, 'job-host.js'),
  };
}

/** `--workspace <dir>` or `--workspace=<dir>` among the app's arguments. */
export function workspaceFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--workspace') return argv[i + 1];
    if (argv[i].startsWith('--workspace=')) return argv[i].slice('--workspace='.length);
  }
  return undefined;
}

export async function runApp(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let window: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await app.whenReady();

  const paths = appPaths(dirname(fileURLToPath(import.meta.url)), process.env, app.isPackaged);
  const workspace = resolveWorkspace(workspaceFlag(process.argv));
  try {
    await ensureWorkspace(workspace);
  } catch (e) {
    dialog.showErrorBox('Wavelet Studio', (e as Error).message);
    app.quit();
    return;
  }
  const settings = await readSettings(workspace);
  const jobs = createJobSupervisor({ workspace, spawn: createUtilitySpawn(paths.jobHost) });
  const picker = createPathPicker({
    dialog,
    windowOf: (id) => {
      const contents = webContents.fromId(id);
      return contents ? BrowserWindow.fromWebContents(contents) : null;
    },
  });
  const service = createStudioService({ workspace, jobs, mode: 'electron', pickedPaths: picker.pickedPaths });
  const handlers = { ...service, 'system.pickPath': picker.pick };
  installSessionPolicy(paths.appUrl);
  registerIpc(handlers, paths.appUrl, picker.runAs);

  let saving: Promise<unknown> = Promise.resolve();
  const saveBounds = (bounds: WindowBounds): void => {
    saving = saving.then(() => updateSettings(workspace, { window: bounds })).catch(() => undefined);
  };
  const open = (bounds: WindowBounds | undefined): void => {
    window = createMainWindow({
      appUrl: paths.appUrl,
      preloadPath: paths.preload,
      bounds,
      isAppUrl: (url) => isTrustedPageUrl(url, paths.appUrl),
      onBoundsChanged: saveBounds,
    });
    const contentsId = window.webContents.id;
    window.on('closed', () => {
      picker.forget(contentsId);
      window = undefined;
    });
  };
  open(validBounds(settings.window));
  jobs.onEvent((event) => {
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  app.on('activate', () => window ?? open(undefined));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void Promise.all([jobs.shutdown(), saving]).finally(() => app.quit());
  });
}
