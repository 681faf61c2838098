/**
 * A fake StudioApi for renderer tests: answers from a table of handlers (missing ones
 * answer NOT_FOUND), records every call, and lets a test push job events.
 */
import { buildStudioApi, type Channel, type StudioApi } from '../../src/shared/api';
import type { JobEvent } from '../../src/shared/dto';
import type { Result } from '../../src/shared/result';

export type Handlers = Partial<Record<Channel, (request: unknown) => unknown>>;

export interface FakeApi {
  api: StudioApi;
  calls: { channel: Channel; request: unknown }[];
  emit(event: JobEvent): void;
  listenerCount(): number;
}

export function createFakeApi(handlers: Handlers): FakeApi {
  const calls: { channel: Channel; request: unknown }[] = [];
  const listeners = new Set<(e: JobEvent) => void>();
  const invoke = async (channel: Channel, request: unknown): Promise<Result<unknown>> => {
    calls.push({ channel, request });
    const h = handlers[channel];
    if (!h) return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${channel}` } };
    try {
      return { ok: true, value: await h(request) };
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
    }
  };
  const api = buildStudioApi(invoke, (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  });
  return { api, calls, emit: (e) => listeners.forEach((l) => l(e)), listenerCount: () => listeners.size };
}

/** Base64 of `n` bytes all equal to `value`. */
export function grayBase64(n: number, value: number): string {
  return btoa(String.fromCharCode(...new Array<number>(n).fill(value)));
}
