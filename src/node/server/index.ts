/**
 * Browser mode: the whole studio behind one loopback HTTP server. Prepares the workspace,
 * starts the job supervisor (child processes) and the service, serves the built renderer,
 * and shuts down cleanly (jobs cancelled) when asked.
 * Used by: cli/commands/serve.ts, scripts/serve.mjs (through the CLI), e2e tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJobSupervisor } from '../jobs/supervisor';
import type { SpawnJobProcess } from '../jobs/spawn';
import type { JobSupervisor } from '../jobs/types';
import { createStudioService } from '../service/index';
import { ensureWorkspace } from '../workspace';
import { startStudioServer, type StudioServer } from './server';

export { startStudioServer, MAX_BODY_BYTES, type StudioServer, type StudioServerOptions } from './server';
export { STUDIO_CSP, TOKEN_HEADER } from './security';

export interface BrowserModeOptions {
  workspace: string;
  port?: number;
  /** Built renderer; default out/renderer of this source tree. */
  staticRoot?: string;
  spawn?: SpawnJobProcess;
  heartbeatMs?: number;
}

export interface BrowserMode {
  server: StudioServer;
  jobs: JobSupervisor;
  workspace: string;
  /** Cancels jobs, waits for their processes, closes the server. Safe to call twice. */
  shutdown(): Promise<void>;
}

export function defaultStaticRoot(): string {
  return fileURLToPath(new URL('../../../out/renderer', import.meta.url));
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  await ensureWorkspace(options.workspace);
  const jobs = createJobSupervisor({ workspace: options.workspace, spawn: options.spawn });
  const handlers = createStudioService({ workspace: options.workspace, jobs, mode: 'browser' });
  const server = await startStudioServer({
    handlers,
    jobs,
    port: options.port,
    staticRoot: options.staticRoot ?? defaultStaticRoot(),
    heartbeatMs: options.heartbeatMs,
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    jobs,
    workspace: options.workspace,
    shutdown: () => (closing ??= jobs.shutdown().then(() => server.close())),
  };
}

/**
 * Opens `url` in the user's browser; silently does nothing when no opener exists. The URL
 * carries the session token, and a command line is visible to every local user, so the
 * opener gets a private (0600) redirect page instead, removed a minute later.
 */
export function openInBrowser(url: string): void {
  let target: string;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'wavelet-studio-'));
    target = join(dir, 'open.html');
    const safe = url.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    writeFileSync(target, `<!doctype html><meta http-equiv="refresh" content="0;url=${safe}"><title>Wavelet Studio</title>`, { mode: 0o600 });
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 60_000).unref();
  } catch {
    return; // no private file, no opening: the URL is printed anyway
  }
  const [command, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', target]] : ['xdg-open', [target]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener: the URL is printed anyway
  }
}
