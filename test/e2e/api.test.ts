/**
 * The browser-mode API end to end: the real server and job processes, a real Chromium
 * page on the studio's origin calling the API with its token, refused without it, and
 * job events arriving through EventSource under the page's CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './support/browser';
import { ensureRendererBuilt, startTestStudio, type TestStudio } from './support/studio';

let studio: TestStudio;
let browser: TestBrowser;

beforeAll(async () => {
  ensureRendererBuilt(); // the API checks below need only the origin, not the UI
  studio = await startTestStudio();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

type PageCall = { status: number; body: { ok: boolean; value?: Record<string, unknown>; error?: { code: string } } };

function callFromPage(channel: string, request: unknown, token: string | null): Promise<PageCall> {
  return browser.page.evaluate(
    async ({ channel, request, token }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers['x-studio-token'] = token;
      const res = await fetch(`/api/call/${channel}`, { method: 'POST', headers, body: JSON.stringify(request) });
      return { status: res.status, body: await res.json() };
    },
    { channel, request, token },
  );
}

describe('browser-mode API from a real page', () => {
  it('serves the page with its security headers', async () => {
    const response = await browser.page.goto(studio.url);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(new URL(browser.page.url()).origin).toBe(studio.origin);
  });

  it('round-trips system.info with the token', async () => {
    const { status, body } = await callFromPage('system.info', {}, studio.token);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.value).toMatchObject({ mode: 'browser', workspace: studio.workspace });
    expect((body.value!.backends as { name: string }[]).map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
  });

  it('is refused without the token', async () => {
    const { status, body } = await callFromPage('system.info', {}, null);
    expect(status).toBe(401);
    expect(body.error?.code).toBe('UNAUTHORIZED');
  });

  it('delivers job events to an EventSource on the page', async () => {
    const collected = browser.page.evaluate(
      (token) =>
        new Promise<{ type: string; jobId: string }[]>((done, failed) => {
          const events: { type: string; jobId: string }[] = [];
          const source = new EventSource(`/api/events?token=${token}`);
          const timer = setTimeout(() => failed(new Error(`no terminal event; got ${JSON.stringify(events)}`)), 60_000);
          source.onmessage = (m) => {
            const event = JSON.parse(m.data as string) as { type: string; jobId: string };
            events.push(event);
            if (event.type === 'done' || event.type === 'error') {
              clearTimeout(timer);
              source.close();
              done(events);
            }
          };
          source.onopen = () => (window as unknown as { sseOpen: boolean }).sseOpen = true;
        }),
      studio.token,
    );
    await browser.page.waitForFunction(() => (window as unknown as { sseOpen?: boolean }).sseOpen === true);
    // a sample job for a model that does not exist: it must end (with an error) and say so
    const started = await studio.call('jobs.sample', { modelId: 'no-such-model', classIndex: 0 });
    expect(started.ok).toBe(true);
    const jobId = (started.value as { jobId: string }).jobId;
    const events = (await collected).filter((e) => e.jobId === jobId);
    expect(events[0]).toMatchObject({ type: 'state' });
    expect(events.at(-1)!.type).toBe('error');
    const snapshot = await studio.call('jobs.get', { jobId });
    expect(snapshot.value).toMatchObject({ state: 'error' });
  });
});
