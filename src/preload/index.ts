/**
 * The preload of the studio window (sandboxed, bundled to out/preload/index.cjs): exposes
 * exactly one object, `window.studio`, the typed StudioApi. Calls go to whitelisted
 * `studio:<channel>` IPC channels only; job events reach listeners without Electron's
 * event object. Nothing else from Electron or Node is exposed.
 * Used by: the renderer, through src/renderer/api.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, buildStudioApi, isChannel, type Channel } from '../shared/channels';
import type { JobEvent } from '../shared/dto';
import { fail, type Result } from '../shared/result';

function invoke(channel: Channel, request: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return Promise.resolve(fail('NOT_FOUND', `unknown call "${String(channel)}"`));
  return (ipcRenderer.invoke(IPC_INVOKE_PREFIX + channel, request) as Promise<Result<unknown>>).catch((e: unknown) =>
    fail('INTERNAL', e instanceof Error ? e.message : String(e)),
  );
}

function onJobEvent(listener: (event: JobEvent) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: JobEvent): void => listener(payload);
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
  return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
}

contextBridge.exposeInMainWorld('studio', buildStudioApi(invoke, onJobEvent));
