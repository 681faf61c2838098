/**
 * Browser-mode file confinement: reads only from <workspace>/imports, writes only to
 * <workspace>/exports without replacing files, symlinks cannot escape, CSV rows are checked
 * too; without an allow-list (the CLI) any path passes; with the desktop app's picked-path
 * allow-list only picked paths (and CSV rows beside the CSV) pass.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confineCsvRows, confinePath, type PickedPaths } from '../../../src/node/service/paths';
import type { ServiceContext } from '../../../src/node/service/context';
import type { JobSupervisor } from '../../../src/node/jobs/types';

function setup(mode: 'browser' | 'electron'): { ctx: ServiceContext; ws: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'studio-paths-'));
  const ws = join(base, 'ws');
  mkdirSync(join(ws, 'imports'), { recursive: true });
  mkdirSync(join(ws, 'exports'), { recursive: true });
  const outside = join(base, 'secret.idx');
  writeFileSync(outside, 'secret');
  writeFileSync(join(ws, 'imports', 'ok.idx'), 'data');
  return { ctx: { workspace: ws, mode, jobs: {} as JobSupervisor }, ws, outside };
}

describe('confinePath in browser mode', () => {
  it('reads inside imports (relative paths start there) and refuses anything else', async () => {
    const { ctx, ws, outside } = setup('browser');
    await expect(confinePath(ctx, 'ok.idx', 'import')).resolves.toBe(join(ws, 'imports', 'ok.idx'));
    await expect(confinePath(ctx, outside, 'import')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(confinePath(ctx, '../../secret.idx', 'import')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    symlinkSync(outside, join(ws, 'imports', 'link.idx'));
    await expect(confinePath(ctx, 'link.idx', 'import')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(confinePath(ctx, 'missing.idx', 'import')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes only new files inside exports', async () => {
    const { ctx, ws, outside } = setup('browser');
    await expect(confinePath(ctx, 'model.zip', 'export')).resolves.toBe(join(ws, 'exports', 'model.zip'));
    await expect(confinePath(ctx, outside, 'export')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    writeFileSync(join(ws, 'exports', 'taken.zip'), 'x');
    await expect(confinePath(ctx, 'taken.zip', 'export')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('checks every image a CSV lists', async () => {
    const { ctx, ws, outside } = setup('browser');
    const csv = join(ws, 'imports', 'list.csv');
    writeFileSync(csv, `path,label\nok.idx,1\n${outside},2\n`);
    await expect(confineCsvRows(ctx, csv)).rejects.toThrow(/row 3/);
    writeFileSync(csv, 'path,label\nok.idx,1\n');
    await expect(confineCsvRows(ctx, csv)).resolves.toBeUndefined();
  });
});

describe('confinePath without an allow-list (CLI)', () => {
  it('takes any path as given', async () => {
    const { ctx, outside } = setup('electron');
    await expect(confinePath(ctx, outside, 'import')).resolves.toBe(outside);
    await expect(confinePath(ctx, outside, 'export')).resolves.toBe(outside);
  });
});

describe('confinePath with picked paths (desktop app)', () => {
  const picked = (entries: [string, 'import' | 'export'][]): PickedPaths => ({
    has: (path, purpose) => entries.some(([p, k]) => p === path && k === purpose),
  });

  it('accepts only paths picked for that purpose, and only absolute ones', async () => {
    const { ctx, ws, outside } = setup('electron');
    const target = join(ws, 'out.zip');
    const pctx = { ...ctx, pickedPaths: picked([[outside, 'import'], [target, 'export']]) };
    await expect(confinePath(pctx, outside, 'import')).resolves.toBe(outside);
    await expect(confinePath(pctx, target, 'export')).resolves.toBe(target);
    await expect(confinePath(pctx, outside, 'export')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('writes only files chosen') });
    await expect(confinePath(pctx, join(ws, 'imports', 'ok.idx'), 'import')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(confinePath(pctx, 'secret.idx', 'import')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(confinePath(pctx, join(ws, '..', 'ws', 'out.zip'), 'export')).resolves.toBe(target); // normalised first
  });

  it('a CSV reads images only from its own folder', async () => {
    const { ctx, ws, outside } = setup('electron');
    const csv = join(ws, 'imports', 'list.csv');
    const pctx = { ...ctx, pickedPaths: picked([[csv, 'import']]) };
    writeFileSync(csv, `path,label\nok.idx,1\n${outside},2\n`);
    await expect(confineCsvRows(pctx, csv)).rejects.toThrow(/row 3: .*own folder/);
    writeFileSync(csv, `path,label\nok.idx,1\n${join(ws, 'imports', 'ok.idx')},2\n`);
    await expect(confineCsvRows(pctx, csv)).resolves.toBeUndefined();
    // without an allow-list (the CLI) rows are not checked
    writeFileSync(csv, `path,label\n${outside},2\n`);
    await expect(confineCsvRows(ctx, csv)).resolves.toBeUndefined();
  });
});
