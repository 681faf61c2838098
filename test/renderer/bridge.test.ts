// @vitest-environment happy-dom
/**
 * The browser-mode bridge: calls carry the session token and reach /api/call/<channel>,
 * results pass through untouched, transport failures become UNAVAILABLE values (never
 * throws), job events fan out from one stream, and the token moves from the URL to
 * sessionStorage. Also the one-sentence error text.
 */
import { describe, expect, it, vi } from 'vitest';
import { createBrowserApi, takeToken, TOKEN_HEADER, TOKEN_STORAGE_KEY, type EventSourceLike } from '../../src/renderer/api/browser';
import { describeError } from '../../src/renderer/api/errors';
import type { JobEvent } from '../../src/shared/dto';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('browser bridge calls', () => {
  it('posts the request with the token header to the channel URL and returns the result', async () => {
    const fetchFn = vi.fn(async () => jsonResponse({ ok: true, value: { total: 3, width: 28, height: 28, items: [] } }));
    const api = createBrowserApi({ token: 'secret-1', fetchFn: fetchFn as unknown as typeof fetch });
    const result = await api.datasets.page({ datasetId: 'mnist', split: 'train', offset: 0, limit: 10 });
    expect(result).toEqual({ ok: true, value: { total: 3, width: 28, height: 28, items: [] } });
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/datasets.page');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)[TOKEN_HEADER]).toBe('secret-1');
    expect(JSON.parse(init.body as string)).toEqual({ datasetId: 'mnist', split: 'train', offset: 0, limit: 10 });
  });

  it('passes error results through with their code', async () => {
    const fetchFn = vi.fn(async () => jsonResponse({ ok: false, error: { code: 'UNAUTHORIZED', message: 'bad token' } }, 401));
    const api = createBrowserApi({ token: 'x', fetchFn: fetchFn as unknown as typeof fetch });
    expect(await api.system.info({})).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'bad token' } });
  });

  it('maps a network failure to UNAVAILABLE instead of throwing', async () => {
    const fetchFn = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createBrowserApi({ token: 'x', fetchFn: fetchFn as unknown as typeof fetch });
    const result = await api.runs.list({});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('UNAVAILABLE');
      expect(result.error.message).toContain('Failed to fetch');
    }
  });

  it('maps an unreadable or foreign body to UNAVAILABLE with the HTTP status', async () => {
    const html = vi.fn(async () => new Response('<html>oops</html>', { status: 502 }));
    const r1 = await createBrowserApi({ token: 'x', fetchFn: html as unknown as typeof fetch }).models.list({});
    expect(r1.ok === false && r1.error.code === 'UNAVAILABLE' && r1.error.message.includes('502')).toBe(true);
    const foreign = vi.fn(async () => jsonResponse({ hello: 1 }));
    const r2 = await createBrowserApi({ token: 'x', fetchFn: foreign as unknown as typeof fetch }).models.list({});
    expect(r2.ok === false && r2.error.code === 'UNAVAILABLE').toBe(true);
  });
});

describe('browser bridge events', () => {
  it('opens one stream with the token, fans out valid events, closes after the last listener', () => {
    const sources: (EventSourceLike & { url: string; closed: boolean })[] = [];
    const openEvents = (url: string): EventSourceLike => {
      const s = { url, closed: false, onmessage: null, close(): void { s.closed = true; } };
      sources.push(s);
      return s;
    };
    const api = createBrowserApi({ token: 'a b', fetchFn: vi.fn() as unknown as typeof fetch, openEvents });
    const got1: JobEvent[] = [];
    const got2: JobEvent[] = [];
    const off1 = api.onJobEvent((e) => got1.push(e));
    const off2 = api.onJobEvent((e) => got2.push(e));
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/events?token=a%20b');
    const event: JobEvent = { jobId: 'j1', kind: 'train', type: 'state', state: 'paused' };
    sources[0].onmessage?.({ data: JSON.stringify(event) });
    sources[0].onmessage?.({ data: 'not json' });
    sources[0].onmessage?.({ data: '{"nojob":1}' });
    expect(got1).toEqual([event]);
    expect(got2).toEqual([event]);
    off1();
    expect(sources[0].closed).toBe(false);
    off2();
    expect(sources[0].closed).toBe(true);
  });
});

describe('session token', () => {
  it('takes the token from the URL, stores it and strips it from the address', () => {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const token = takeToken({
      href: 'http://127.0.0.1:5173/index.html?token=abc123&x=1#h',
      storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
      replaceUrl: (u) => replaced.push(u),
    });
    expect(token).toBe('abc123');
    expect(store.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(replaced).toEqual(['/index.html?x=1#h']);
  });

  it('falls back to sessionStorage after a reload, and to null when there is none', () => {
    const storage = { getItem: (k: string) => (k === TOKEN_STORAGE_KEY ? 'kept' : null), setItem: vi.fn() };
    expect(takeToken({ href: 'http://h/', storage, replaceUrl: vi.fn() })).toBe('kept');
    expect(takeToken({ href: 'http://h/', storage: { getItem: () => null, setItem: vi.fn() }, replaceUrl: vi.fn() })).toBeNull();
  });
});

describe('describeError', () => {
  it('makes one sentence with the action, the message and what to do', () => {
    const text = describeError('Loading datasets', { code: 'UNAVAILABLE', message: 'The studio server cannot be reached (Failed to fetch).' });
    expect(text).toBe('Loading datasets failed: The studio server cannot be reached (Failed to fetch); check that the studio server is running, then retry.');
    expect(describeError('Training', { code: 'NAN_LOSS', message: 'loss is NaN at step 40' })).toMatch(/lower the learning rate/);
  });
});
