/**
 * Serves the built renderer (out/renderer) in browser mode: index.html for '/', a
 * content type per extension, no directory listings, and nothing outside the root
 * (encoded '..', absolute paths, NUL bytes and symlinks out of the root are refused).
 * Used by: node/server/server.ts.
 */
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticLookup = { status: 200; path: string; type: string } | { status: 403 | 404 | 503; reason: string };

/** Maps a URL path to a file under `root`, or says why not. */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 404, reason: 'bad path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 403, reason: 'path refused' };
  const realRoot = await fs.realpath(root).catch(() => undefined);
  if (!realRoot) return { status: 503, reason: 'The web UI is not built: run `npm run build:web`.' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const candidate = resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) return { status: 403, reason: 'path refused' };
  const real = await fs.realpath(candidate).catch(() => undefined);
  if (!real) return { status: 404, reason: 'not found' };
  if (!isInside(realRoot, real)) return { status: 403, reason: 'path refused' };
  const stat = await fs.stat(real);
  if (stat.isDirectory()) {
    const index = join(real, 'index.html');
    const hasIndex = await fs.stat(index).then((s) => s.isFile(), () => false);
    return hasIndex ? { status: 200, path: index, type: CONTENT_TYPES['.html'] } : { status: 404, reason: 'not found' };
  }
  if (!stat.isFile()) return { status: 404, reason: 'not found' };
  return { status: 200, path: real, type: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Writes the file or a short plain-text refusal; headers already set by the caller stay. */
export async function serveStatic(root: string, urlPath: string, method: string, res: ServerResponse): Promise<void> {
  const found = await lookupStatic(root, urlPath);
  if (found.status !== 200) {
    res.writeHead(found.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(found.reason);
    return;
  }
  const body = await fs.readFile(found.path);
  res.writeHead(200, {
    'content-type': found.type,
    'content-length': String(body.length),
    'cache-control': found.type.startsWith('text/html') ? 'no-store' : 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
}
