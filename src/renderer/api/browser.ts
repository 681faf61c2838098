/**
 * Browser-mode bridge: the same StudioApi as the Electron preload, spoken over the loopback
 * HTTP server (POST /api/call/<channel>, job events through Server-Sent Events).
 * Used by: api/index.ts (when window.studio is absent); tested in test/renderer/bridge.test.ts.
 */
import { TOKEN_HEADER, buildStudioApi, type Channel, type StudioApi } from '../../shared/api';
import type { JobEvent } from '../../shared/dto';
import type { Result } from '../../shared/result';

export { TOKEN_HEADER };
export const TOKEN_STORAGE_KEY = 'wavelet-studio.token';

/** The part of EventSource the bridge uses (lets tests inject a fake). */
export interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  close(): void;
}

export interface BrowserBridgeOptions {
  token: string;
  /** Origin-relative prefix of the server, '' for the page's own origin. */
  base?: string;
  fetchFn?: typeof fetch;
  openEvents?: (url: string) => EventSourceLike;
}

function unavailable(message: string): Result<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (b.ok === true) return 'value' in b;
  return b.ok === false && typeof b.error?.code === 'string' && typeof b.error?.message === 'string';
}

/** One call: never throws; transport failures become UNAVAILABLE errors. */
async function callOverHttp(opts: Required<Omit<BrowserBridgeOptions, 'openEvents'>>, channel: Channel, request: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await opts.fetchFn(`${opts.base}/api/call/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: opts.token },
      body: JSON.stringify(request ?? {}),
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return unavailable(`The studio server cannot be reached (${reason})`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return unavailable(`The studio server sent an unreadable answer (HTTP ${response.status})`);
  }
  if (isResult(body)) return body;
  return unavailable(`The studio server sent an unexpected answer (HTTP ${response.status})`);
}

function parseEvent(data: string): JobEvent | null {
  try {
    const event = JSON.parse(data) as JobEvent;
    return typeof event === 'object' && event !== null && typeof event.jobId === 'string' && typeof event.type === 'string' ? event : null;
  } catch {
    return null;
  }
}

/** Builds the StudioApi over HTTP; one shared event stream, opened while anyone listens. */
export function createBrowserApi(options: BrowserBridgeOptions): StudioApi {
  const opts = {
    token: options.token,
    base: options.base ?? '',
    fetchFn: options.fetchFn ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
  };
  const openEvents = options.openEvents ?? ((url: string) => new EventSource(url) as EventSourceLike);
  const listeners = new Set<(event: JobEvent) => void>();
  let source: EventSourceLike | null = null;

  function onJobEvent(listener: (event: JobEvent) => void): () => void {
    listeners.add(listener);
    if (!source) {
      source = openEvents(`${opts.base}/api/events?token=${encodeURIComponent(opts.token)}`);
      source.onmessage = (message) => {
        const event = parseEvent(message.data);
        if (event) for (const l of [...listeners]) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  return buildStudioApi((channel, request) => callOverHttp(opts, channel, request), onJobEvent);
}

interface TokenPlace {
  href: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  replaceUrl: (url: string) => void;
}

/**
 * The session token: from `?token=` in the address (then kept in sessionStorage and removed
 * from the address bar), else from sessionStorage so reloads keep working.
 */
export function takeToken(place: TokenPlace): string | null {
  const url = new URL(place.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    place.storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    place.replaceUrl(url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return place.storage.getItem(TOKEN_STORAGE_KEY);
}
