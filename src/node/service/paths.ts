/**
 * Where callers may read and write files. The CLI acts for the local user and takes any
 * path. In browser mode anyone holding the session token could otherwise read or overwrite
 * the user's files, so reads are confined to <workspace>/imports and writes to
 * <workspace>/exports (relative paths resolve there), and an export never replaces an
 * existing file. In the desktop app main injects `pickedPaths`, the paths the user chose in
 * a native file dialog: only those (and files under a folder chosen for reading) pass, so a
 * compromised page cannot name arbitrary files.
 * Used by: service/datasets.ts (imports), service/models.ts (model import and export).
 */
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { StudioError } from '../../shared/result';
import { parseCsvRows } from '../datasets/import-csv';
import type { ServiceContext } from './context';

export type PathPurpose = 'import' | 'export';

/** The desktop app's allow-list of dialog-picked paths (kept by main, per window). */
export interface PickedPaths {
  /** True when `path` (absolute, normalised) was picked for `purpose`, or lies under a folder picked for reading. */
  has(path: string, purpose: PathPurpose): boolean;
}

/** The service context as the path checks see it; main adds `pickedPaths` in the desktop app. */
export interface PathContext extends ServiceContext {
  pickedPaths?: PickedPaths;
}

export function confinedRoot(workspace: string, purpose: PathPurpose): string {
  return join(workspace, purpose === 'import' ? 'imports' : 'exports');
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realOrMissing(path: string, what: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    throw new StudioError('NOT_FOUND', `${what}: no such file or folder`);
  }
}

/** Desktop app: the absolute path when the user picked it for `purpose`, else BAD_REQUEST. */
function requirePicked(picked: PickedPaths, path: string, purpose: PathPurpose): string {
  const resolved = resolve(path);
  if (!isAbsolute(path) || !picked.has(resolved, purpose)) {
    const verb = purpose === 'import' ? 'reads' : 'writes';
    throw new StudioError('BAD_REQUEST', `${path}: the desktop app ${verb} only files chosen with "Choose…" in a file dialog; choose it there`);
  }
  return resolved;
}

/** The path to use for `path`; throws when this mode may not touch it. */
export async function confinePath(ctx: PathContext, path: string, purpose: PathPurpose): Promise<string> {
  if (ctx.mode !== 'browser') return ctx.pickedPaths ? requirePicked(ctx.pickedPaths, path, purpose) : path;
  const root = confinedRoot(ctx.workspace, purpose);
  await fs.mkdir(root, { recursive: true });
  const realRoot = await fs.realpath(root);
  const resolved = resolve(root, path);
  const refuse = (): never => {
    throw new StudioError('BAD_REQUEST', `${path}: in browser mode files are ${purpose === 'import' ? 'read from' : 'written to'} ${root} only (relative paths start there)`);
  };
  if (purpose === 'import') {
    if (!inside(realRoot, await realOrMissing(resolved, path))) refuse();
    return resolved;
  }
  if (!inside(realRoot, await realOrMissing(dirname(resolved), dirname(path)))) refuse();
  if (await fs.lstat(resolved).catch(() => undefined)) throw new StudioError('CONFLICT', `${path}: a file of that name exists; browser mode never replaces files`);
  return resolved;
}

/**
 * Every image a CSV lists must lie inside the imports folder too (browser mode), or inside
 * the picked CSV's own folder (desktop app).
 */
export async function confineCsvRows(ctx: PathContext, csvPath: string): Promise<void> {
  const desktop = ctx.mode !== 'browser' && ctx.pickedPaths !== undefined;
  if (ctx.mode !== 'browser' && !desktop) return;
  const rows = parseCsvRows(await fs.readFile(csvPath, 'utf8'), csvPath);
  const base = dirname(resolve(csvPath));
  for (const row of rows) {
    const rowPath = isAbsolute(row.path) ? resolve(row.path) : resolve(base, row.path);
    if (desktop) {
      if (!inside(base, rowPath)) throw new StudioError('BAD_REQUEST', `${csvPath}: row ${row.line}: ${row.path}: the desktop app reads only images in the CSV's own folder (${base})`);
      continue;
    }
    await confinePath(ctx, rowPath, 'import').catch((e: unknown) => {
      throw new StudioError('BAD_REQUEST', `${csvPath}: row ${row.line}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
