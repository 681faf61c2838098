/**
 * Native file dialogs and the picked-path allow-list (Electron mocked): a chosen path is
 * remembered for the calling window only and the service then accepts it; an un-picked path
 * is refused with BAD_REQUEST; a picked folder admits the files under it; the list is bounded.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { JobSupervisor } from '../../src/node/jobs/types';
import { electronMock, electronState } from './electron-mock';

vi.mock('electron', () => electronMock());

const { createPathPicker } = await import('../../src/main/picker');
const { registerIpc } = await import('../../src/main/ipc');
const { createStudioService, dispatch } = await import('../../src/node/service/index');
const { confinePath } = await import('../../src/node/service/paths');

const APP_URL = 'file:///opt/studio/out/renderer/index.html';
const jobs = { list: () => [], onEvent: () => () => undefined } as unknown as JobSupervisor;
const fakeWindow = {} as BrowserWindow;

function setup(answers: string[]): { picker: ReturnType<typeof createPathPicker>; dialog: { showOpenDialog: ReturnType<typeof vi.fn>; showSaveDialog: ReturnType<typeof vi.fn> } } {
  const next = (): string | undefined => answers.shift();
  const dialog = {
    showOpenDialog: vi.fn(async () => {
      const p = next();
      return { canceled: p === undefined, filePaths: p ? [p] : [] };
    }),
    showSaveDialog: vi.fn(async () => {
      const p = next();
      return { canceled: p === undefined, filePath: p ?? '' };
    }),
  };
  return { picker: createPathPicker({ dialog, windowOf: (id) => (id === 1 || id === 2 ? fakeWindow : null), limit: 3 }), dialog };
}

describe('system.pickPath in the desktop app', () => {
  it('opens the dialog on the calling window; the service then accepts exactly that path for that window', async () => {
    const base = mkdtempSync(join(tmpdir(), 'studio-pick-'));
    const picked = join(base, 'model.zip');
    const other = join(base, 'secret.zip');
    const { picker, dialog } = setup([picked]);
    const ctx = { workspace: join(base, 'ws'), jobs, mode: 'electron' as const, pickedPaths: picker.pickedPaths };
    const handlers = { ...createStudioService(ctx), 'system.pickPath': picker.pick };
    registerIpc(handlers, APP_URL, picker.runAs);
    const call = (channel: string, payload: unknown, id = 1): Promise<unknown> =>
      electronState.handlers.get(`studio:${channel}`)!({ senderFrame: { url: APP_URL, parent: null }, sender: { id } }, payload);

    expect(await call('system.pickPath', { purpose: 'import-model', title: 'Import' })).toEqual({ ok: true, value: { path: picked } });
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(fakeWindow, expect.objectContaining({ title: 'Import', properties: ['openFile'] }));
    await expect(picker.runAs(1, () => confinePath(ctx, picked, 'import'))).resolves.toBe(picked);
    // a picked import path is not a write permission, another window has its own list
    await expect(picker.runAs(1, () => confinePath(ctx, picked, 'export'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(picker.runAs(2, () => confinePath(ctx, picked, 'import'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const refused = await call('models.import', { path: other });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('chosen with "Choose…"') } });
    expect(await call('system.pickPath', { purpose: 'export-model' })).toEqual({ ok: true, value: { path: null } }); // cancelled
    expect(await call('system.pickPath', { purpose: 'import-file', extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('system.pickPath', { purpose: 'import-file' }, 9)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('a picked folder admits the files under it (dataset folder import), nothing beside it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'studio-pick-'));
    const folder = join(base, 'digits');
    mkdirSync(join(folder, '3'), { recursive: true });
    writeFileSync(join(folder, '3', 'a.png'), 'x');
    const { picker, dialog } = setup([folder]);
    const ctx = { workspace: base, jobs, mode: 'electron' as const, pickedPaths: picker.pickedPaths };
    await picker.runAs(1, () => picker.pick({ purpose: 'import-folder' }));
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(fakeWindow, expect.objectContaining({ properties: ['openDirectory'] }));
    const inWindow = <T>(run: () => Promise<T>): Promise<T> => picker.runAs(1, run);
    await expect(inWindow(() => confinePath(ctx, folder, 'import'))).resolves.toBe(folder);
    await expect(inWindow(() => confinePath(ctx, join(folder, '3', 'a.png'), 'import'))).resolves.toBe(join(folder, '3', 'a.png'));
    await expect(inWindow(() => confinePath(ctx, join(folder, '..', 'digits-other', 'a.png'), 'import'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(inWindow(() => confinePath(ctx, join(folder, 'out.zip'), 'export'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const job = await dispatch(createStudioService(ctx), 'datasets.import', { name: 'x', source: { kind: 'folder', path: join(base, 'elsewhere') } });
    expect(job).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } }); // outside any window's call: nothing is picked
  });

  it('keeps at most `limit` paths per window, dropping the oldest, and forgets a closed window', async () => {
    const { picker } = setup(['/d/a.zip', '/d/b.zip', '/d/c.zip', '/d/d.zip']);
    for (let i = 0; i < 4; i++) await picker.runAs(1, () => picker.pick({ purpose: 'export-model' }));
    const has = (path: string): Promise<boolean> => picker.runAs(1, async () => picker.pickedPaths.has(path, 'export'));
    expect(await has('/d/a.zip')).toBe(false);
    expect(await has('/d/d.zip')).toBe(true);
    picker.forget(1);
    expect(await has('/d/d.zip')).toBe(false);
  });
});
