/**
 * The list of StudioApi calls and the transport-agnostic builder of the nested API, free of
 * zod so that the preload bundle stays small. api.ts checks at compile time that this list
 * and its request schemas name the same calls.
 * Used by: preload, main/ipc, node/server, renderer/api.
 */
import type { StudioApi } from './api';
import type { Result } from './result';

export const channels = [
  'system.info', 'system.pickPath',
  'datasets.list', 'datasets.page', 'datasets.item', 'datasets.stats', 'datasets.import', 'datasets.remove', 'datasets.buildTokens',
  'jobs.list', 'jobs.get', 'jobs.cancel', 'jobs.pause', 'jobs.resume', 'jobs.train', 'jobs.sample', 'jobs.edit', 'jobs.eval',
  'runs.list', 'runs.get',
  'models.list', 'models.get', 'models.export', 'models.import',
] as const;

export type Channel = (typeof channels)[number];

const channelSet: ReadonlySet<string> = new Set(channels);

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && channelSet.has(name);
}

export const IPC_INVOKE_PREFIX = 'studio:';
export const IPC_EVENT_CHANNEL = 'studio:job-event';

/** The browser-mode session token travels in this request header. */
export const TOKEN_HEADER = 'x-studio-token';

/** Builds `studio.<group>.<call>(request)` from one `invoke`; used by the preload and the browser bridge. */
export function buildStudioApi(
  invoke: (channel: Channel, request: unknown) => Promise<Result<unknown>>,
  onJobEvent: StudioApi['onJobEvent'],
): StudioApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of channels) {
    const [group, call] = channel.split('.') as [string, string];
    api[group] ??= {};
    api[group][call] = (request: unknown) => invoke(channel, request ?? {});
  }
  return { ...(api as unknown as Omit<StudioApi, 'onJobEvent'>), onJobEvent } as StudioApi;
}
