#!/usr/bin/env node
/**
 * `npm run serve -- [--port N] [--workspace DIR] [--no-open]`: the studio in a browser.
 * Builds the web UI when out/renderer is missing or older than its sources, then runs the
 * CLI's `serve` command (tsx src/cli/main.ts serve). Also used by scripts/start.mjs as the
 * fallback when the Electron runtime cannot run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_INPUTS = ['src/renderer', 'src/shared', 'src/core', 'vite.web.config.ts', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs an npm script in the repository, inheriting the terminal; throws when it fails. */
export function runNpmScript(name) {
  const result = spawnSync('npm', ['run', name], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm run ${name} failed`);
}

/** Builds out/renderer when it is missing or older than the sources it is built from. */
export function buildWebIfStale() {
  const index = join(ROOT, 'out', 'renderer', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(...WEB_INPUTS.map((p) => newestMtime(join(ROOT, p))));
  if (built > 0 && built >= sources) return;
  process.stderr.write(built ? 'The web UI is older than its sources; rebuilding it.\n' : 'Building the web UI (first run).\n');
  runNpmScript('build:web');
}

/**
 * Runs a child that owns the terminal until it exits: Ctrl+C reaches it directly (same
 * process group), a SIGTERM to us is passed on; we exit with its code.
 */
export function runAttached(command, args) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
  const ignore = () => undefined;
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    process.stderr.write(`could not start ${command}: ${e.message}\n`);
    process.exit(1);
  });
}

/** Starts the browser-mode server through the CLI, with the given CLI arguments. */
export function serve(args) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  runAttached(process.execPath, ['--import', tsx, join(ROOT, 'src', 'cli', 'main.ts'), 'serve', ...args]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    buildWebIfStale();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  serve(process.argv.slice(2));
}
