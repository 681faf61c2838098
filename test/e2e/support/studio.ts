/**
 * End-to-end helpers: the real browser-mode studio (server, service, job processes) on a
 * free loopback port with a fresh temporary workspace, and the built renderer
 * (out/renderer, built here when missing). Used by: every test in test/e2e.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserMode, type BrowserMode } from '../../../src/node/server/index';
import { RESOURCES_ENV } from '../../../src/node/runs/presets';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');

/** Builds the web UI once when out/renderer is missing (npm run test:e2e builds it first). */
export function ensureRendererBuilt(): boolean {
  if (existsSync(join(RENDERER_OUT, 'index.html'))) return true;
  if (!existsSync(join(REPO_ROOT, 'src', 'renderer', 'index.html'))) return false;
  execFileSync('npm', ['run', 'build:web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  return existsSync(join(RENDERER_OUT, 'index.html'));
}

export interface TestStudio extends BrowserMode {
  /** The page URL with the session token. */
  url: string;
  origin: string;
  token: string;
  /** POSTs one API call from Node (not the browser) and returns the parsed Result. */
  call(channel: string, request?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  stop(): Promise<void>;
}

export async function startTestStudio(options: { workspace?: string } = {}): Promise<TestStudio> {
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'studio-e2e-'));
  // the studio (and its job processes) read a copy of resources/: an evaluation writes its
  // report beside the model, and tests must never change the shipped starter models
  const resources = mkdtempSync(join(tmpdir(), 'studio-e2e-resources-'));
  cpSync(join(REPO_ROOT, 'resources'), resources, { recursive: true });
  const previousResources = process.env[RESOURCES_ENV];
  process.env[RESOURCES_ENV] = resources;
  const mode = await startBrowserMode({ workspace, port: 0, staticRoot: RENDERER_OUT });
  const { server } = mode;
  return {
    ...mode,
    url: server.url,
    origin: server.origin,
    token: server.token,
    call: async (channel, request = {}) => {
      const res = await fetch(`${server.origin}/api/call/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-studio-token': server.token },
        body: JSON.stringify(request),
      });
      return (await res.json()) as Awaited<ReturnType<TestStudio['call']>>;
    },
    stop: async () => {
      await mode.shutdown();
      if (previousResources === undefined) delete process.env[RESOURCES_ENV];
      else process.env[RESOURCES_ENV] = previousResources;
      rmSync(resources, { recursive: true, force: true });
      if (!options.workspace) rmSync(workspace, { recursive: true, force: true });
    },
  };
}
