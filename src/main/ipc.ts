/**
 * IPC of the desktop app: one `ipcMain.handle('studio:<channel>')` per StudioApi channel,
 * each going through the service's `dispatch` (schema validation, errors as values).
 * Calls from any frame other than our own top-level page are refused. Each call runs as its
 * window (`runAs`), so the picked-path allow-list answers for that window only.
 * Used by: main/app.ts.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_INVOKE_PREFIX, channels, type StudioHandlers } from '../shared/api';
import { fail, type Result } from '../shared/result';
import { dispatch } from '../node/service/index';

/** True for the app's own page: the dev server's origin, or the packaged index.html. */
export function isTrustedPageUrl(url: string, appUrl: string): boolean {
  let page: URL;
  let app: URL;
  try {
    page = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return page.protocol === 'file:' && page.host === app.host && page.pathname === app.pathname;
  return page.origin === app.origin;
}

export function isTrustedSender(event: IpcMainInvokeEvent, appUrl: string): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isTrustedPageUrl(frame.url, appUrl);
}

/** Runs one call in the context of the sending window (see main/picker.ts). */
export type RunAsSender = (contentsId: number | undefined, call: () => Promise<Result<unknown>>) => Promise<Result<unknown>>;

const runDirectly: RunAsSender = (_id, call) => call();

/** Registers every channel; returns a function that removes them again. */
export function registerIpc(handlers: StudioHandlers, appUrl: string, runAs: RunAsSender = runDirectly): () => void {
  for (const channel of channels) {
    ipcMain.handle(IPC_INVOKE_PREFIX + channel, async (event, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, appUrl)) return fail('UNAUTHORIZED', 'calls are accepted from the studio window only');
      return runAs((event.sender as { id?: number } | undefined)?.id, () => dispatch(handlers, channel, payload));
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(IPC_INVOKE_PREFIX + channel);
  };
}
