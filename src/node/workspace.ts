/**
 * The workspace: where datasets, token caches, runs, models and settings live on disk.
 * Resolves the data directory per OS (overridable by --workspace or WAVELET_STUDIO_HOME),
 * creates its layout, and offers the one crash-safe way to write a file (atomicWriteFile).
 * Used by: main, node/server, node/service, node/datasets, node/runs, worker jobs, cli.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StudioError } from '../shared/result';

export const WORKSPACE_ENV = 'WAVELET_STUDIO_HOME';

export interface WorkspaceLayout {
  root: string;
  datasets: string;
  tokens: string;
  runs: string;
  models: string;
  settings: string;
}

export interface DataDirEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const currentEnv = (): DataDirEnv => ({ platform: process.platform, env: process.env, home: homedir() });

/** The per-OS default data directory (no override applied). */
export function defaultDataDir(where: DataDirEnv = currentEnv()): string {
  const { platform, env, home } = where;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Wavelet Studio');
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA.trim() !== '' ? env.APPDATA : join(home, 'AppData', 'Roaming');
    return join(appData, 'Wavelet Studio');
  }
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.trim() !== '' ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(xdg, 'wavelet-studio');
}

/** The workspace root: the --workspace flag, else WAVELET_STUDIO_HOME, else the OS default. */
export function resolveWorkspace(flag?: string, where: DataDirEnv = currentEnv()): string {
  if (flag !== undefined && flag.trim() !== '') return resolve(flag);
  const fromEnv = where.env[WORKSPACE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return defaultDataDir(where);
}

export function workspaceLayout(root: string): WorkspaceLayout {
  return {
    root,
    datasets: join(root, 'datasets'),
    tokens: join(root, 'tokens'),
    runs: join(root, 'runs'),
    models: join(root, 'models'),
    settings: join(root, 'settings.json'),
  };
}

/** Creates the workspace folders when missing; returns the layout. */
export async function ensureWorkspace(root: string): Promise<WorkspaceLayout> {
  const layout = workspaceLayout(root);
  try {
    for (const dir of [layout.root, layout.datasets, layout.tokens, layout.runs, layout.models]) {
      await fs.mkdir(dir, { recursive: true });
    }
  } catch (e) {
    throw new StudioError('UNAVAILABLE', `cannot create the workspace at ${root}: ${(e as Error).message}`);
  }
  return layout;
}

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * 1. write a temp file in the same folder (same filesystem, so rename is atomic),
 * 2. fsync it, 3. rename it over the target, 4. best-effort fsync of the folder.
 * With `replace: false` step 3 links the temp file to the target instead, which fails with
 * EEXIST when the target exists (however it came to exist), so nothing is ever replaced.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array, options: { replace?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.replace === false) {
      await fs.link(temp, path).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') throw e;
        await fs.copyFile(temp, path, fsConstants.COPYFILE_EXCL); // a filesystem without hard links: still never replaces
      });
      await fs.rm(temp, { force: true });
    } else {
      await fs.rename(temp, path);
    }
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

export type Settings = Record<string, unknown>;

/** Reads settings.json; a missing or unreadable file gives {} (settings are never critical). */
export async function readSettings(root: string): Promise<Settings> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(workspaceLayout(root).settings, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Settings) : {};
  } catch {
    return {};
  }
}

/** Merges `patch` into settings.json (top-level keys) and writes it atomically. */
export async function updateSettings(root: string, patch: Settings): Promise<Settings> {
  const next = { ...(await readSettings(root)), ...patch };
  await atomicWriteFile(workspaceLayout(root).settings, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
