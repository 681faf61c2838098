/**
 * Browser-mode file confinement: reads only from <workspace>/imports, writes only to
 * <workspace>/exports without replacing files, symlinks cannot escape, CSV rows are checked
 * too; the desktop mode takes any path.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confineCsvRows, confinePath } from '../../../src/node/service/paths';
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

describe('confinePath in the desktop app', () => {
  it('takes any path as given', async () => {
    const { ctx, outside } = setup('electron');
    await expect(confinePath(ctx, outside, 'import')).resolves.toBe(outside);
    await expect(confinePath(ctx, outside, 'export')).resolves.toBe(outside);
  });
});
