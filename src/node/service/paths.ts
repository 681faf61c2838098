/**
 * Where browser-mode callers may read and write files. The desktop app and the CLI act for
 * the local user and take any path; in browser mode anyone holding the session token could
 * otherwise read or overwrite the user's files, so reads are confined to
 * <workspace>/imports and writes to <workspace>/exports (relative paths resolve there), and
 * an export never replaces an existing file.
 * Used by: service/datasets.ts (imports), service/models.ts (model import and export).
 */
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { StudioError } from '../../shared/result';
import { parseCsvRows } from '../datasets/import-csv';
import type { ServiceContext } from './context';

export type PathPurpose = 'import' | 'export';

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

/** The path to use for `path`; throws when browser mode may not touch it. */
export async function confinePath(ctx: ServiceContext, path: string, purpose: PathPurpose): Promise<string> {
  if (ctx.mode !== 'browser') return path;
  const root = confinedRoot(ctx.workspace, purpose);
  await fs.mkdir(root, { recursive: true });
  const realRoot = await fs.realpath(root);
  const resolved = resolve(root, path);
  const refuse = (): never => {
    throw new StudioError('BAD_REQUEST', `${path}: in browser mode files are ${purpose === 'import' ? 'read from' : 'written to'} ${root} only (relative paths start there); the desktop app and the CLI take any path`);
  };
  if (purpose === 'import') {
    if (!inside(realRoot, await realOrMissing(resolved, path))) refuse();
    return resolved;
  }
  if (!inside(realRoot, await realOrMissing(dirname(resolved), dirname(path)))) refuse();
  if (await fs.lstat(resolved).catch(() => undefined)) throw new StudioError('CONFLICT', `${path}: a file of that name exists; browser mode never replaces files`);
  return resolved;
}

/** Browser mode: every image a CSV lists must lie inside the imports folder too. */
export async function confineCsvRows(ctx: ServiceContext, csvPath: string): Promise<void> {
  if (ctx.mode !== 'browser') return;
  const rows = parseCsvRows(await fs.readFile(csvPath, 'utf8'), csvPath);
  const base = dirname(csvPath);
  for (const row of rows) {
    await confinePath(ctx, isAbsolute(row.path) ? row.path : resolve(base, row.path), 'import').catch((e: unknown) => {
      throw new StudioError('BAD_REQUEST', `${csvPath}: row ${row.line}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
