/**
 * 'system.pickPath' in the desktop app: opens the native open/save dialog on the calling
 * window and remembers each chosen path in that window's allow-list (bounded, oldest
 * dropped first). The service's path-taking calls consult the list through `pickedPaths`,
 * so the page can only read or write files the user chose. Which window is calling is
 * carried through each IPC call by `runAs` (async context), never taken from the payload.
 * Used by: main/app.ts (wiring), main/ipc.ts (runAs).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isAbsolute, relative, resolve } from 'node:path';
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { PickedPath } from '../shared/dto';
import type { PickPathRequest, PickPurpose } from '../shared/schemas';
import { StudioError } from '../shared/result';
import type { PathPurpose, PickedPaths } from '../node/service/paths';

export const MAX_PICKS_PER_WINDOW = 64;

/** The two dialog calls used (Electron's `dialog`, or a test double). */
export interface DialogLike {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export interface PathPickerOptions {
  dialog: DialogLike;
  /** The window whose web contents has this id, or null once it is gone. */
  windowOf(contentsId: number): BrowserWindow | null;
  limit?: number;
}

export interface PathPicker {
  /** Given to the service as `ctx.pickedPaths`; answers for the window of the current call. */
  pickedPaths: PickedPaths;
  /** Runs one IPC call as a call from the window with this web contents id. */
  runAs<T>(contentsId: number | undefined, call: () => Promise<T>): Promise<T>;
  /** The 'system.pickPath' handler. */
  pick(request: PickPathRequest): Promise<PickedPath>;
  /** Drops a closed window's allow-list. */
  forget(contentsId: number): void;
}

interface Picked {
  purpose: PathPurpose;
  folder: boolean;
}

const MODEL_FILTERS = [{ name: 'Model package', extensions: ['zip'] }];

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Opens the dialog for `purpose`; the chosen path, or null when cancelled. */
async function showDialog(dialog: DialogLike, window: BrowserWindow, request: PickPathRequest): Promise<string | null> {
  const filters = request.filters ?? (request.purpose.endsWith('-model') ? MODEL_FILTERS : undefined);
  const base = { ...(request.title ? { title: request.title } : {}), ...(filters ? { filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) } : {}) };
  if (request.purpose === 'export-model') {
    const saved = await dialog.showSaveDialog(window, { ...base, properties: ['showOverwriteConfirmation', 'createDirectory'] });
    return saved.canceled || !saved.filePath ? null : saved.filePath;
  }
  const folder = request.purpose === 'import-folder';
  const opened = await dialog.showOpenDialog(window, { ...base, properties: [folder ? 'openDirectory' : 'openFile'] });
  return opened.canceled || opened.filePaths.length === 0 ? null : opened.filePaths[0];
}

const PICK_KIND: Record<PickPurpose, Picked> = {
  'import-file': { purpose: 'import', folder: false },
  'import-folder': { purpose: 'import', folder: true },
  'import-model': { purpose: 'import', folder: false },
  'export-model': { purpose: 'export', folder: false },
};

export function createPathPicker(options: PathPickerOptions): PathPicker {
  const limit = options.limit ?? MAX_PICKS_PER_WINDOW;
  const lists = new Map<number, Map<string, Picked>>();
  const caller = new AsyncLocalStorage<number | undefined>();

  const remember = (id: number, path: string, picked: Picked): void => {
    const list = lists.get(id) ?? new Map<string, Picked>();
    list.delete(path); // re-picking refreshes its place
    list.set(path, picked);
    while (list.size > limit) list.delete(list.keys().next().value as string);
    lists.set(id, list);
  };

  const pickedPaths: PickedPaths = {
    has(path, purpose) {
      const id = caller.getStore();
      const list = id === undefined ? undefined : lists.get(id);
      if (!list) return false;
      const exact = list.get(path);
      if (exact && exact.purpose === purpose) return true;
      if (purpose !== 'import') return false;
      for (const [picked, kind] of list) if (kind.folder && inside(picked, path)) return true;
      return false;
    },
  };

  return {
    pickedPaths,
    runAs: (contentsId, call) => caller.run(contentsId, call),
    async pick(request) {
      const id = caller.getStore();
      const window = id === undefined ? null : options.windowOf(id);
      if (id === undefined || !window) throw new StudioError('UNAUTHORIZED', 'a file dialog opens only for a studio window');
      const chosen = await showDialog(options.dialog, window, request);
      if (chosen === null) return { path: null };
      const path = resolve(chosen);
      remember(id, path, PICK_KIND[request.purpose]);
      return { path };
    },
    forget: (contentsId) => void lists.delete(contentsId),
  };
}
