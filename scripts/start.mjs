#!/usr/bin/env node
/**
 * `npm start`: the desktop app when the Electron runtime can run here, otherwise the same
 * studio in the browser (one sentence says why). Arguments are passed on, e.g.
 * `npm start -- --workspace ~/studio`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildWebIfStale, runAttached, runNpmScript, serve } from './serve.mjs';

/**
 * The Electron executable when it is installed, else undefined. `require('electron')` is
 * not used for this: when the binary is missing it tries to download it, which hangs or
 * fails offline; this reads the same path.txt without side effects.
 */
function electronBinary() {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return join(override, relative || 'electron');
  if (!relative) return undefined;
  const binary = join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/**
 * Electron fetches its binary on first use. Do that here, quietly and with a time limit, so a
 * normal machine gets the desktop app; where the download is blocked it fails fast and the
 * studio falls back to browser mode.
 */
function installElectron() {
  const installer = join(ROOT, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return undefined;
  process.stdout.write('Fetching the Electron runtime (first start only)...\n');
  const result = spawnSync(process.execPath, [installer], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
  return result.status === 0 ? electronBinary() : undefined;
}

/** Linux needs a display server for a window; the other platforms always have one. */
function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function main() {
  const args = process.argv.slice(2);
  const binary = electronBinary() ?? (hasDisplay() ? installElectron() : undefined);
  if (binary && existsSync(binary) && hasDisplay()) {
    runNpmScript('build');
    runAttached(binary, [ROOT, ...args]);
    return;
  }
  const why = binary ? 'No display is available for a window' : 'The Electron runtime is not installed (its download was blocked)';
  process.stdout.write(`${why}, so Wavelet Studio starts in browser mode instead.\n`);
  buildWebIfStale();
  serve(args);
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
