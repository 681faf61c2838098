/**
 * The security rules of the studio's web surfaces: the Content-Security-Policy (browser
 * mode headers and Electron's session headers), the session token, and the loopback
 * origin/host checks that keep other web pages and other machines out.
 * Used by: node/server (browser mode), main/window.ts (Electron CSP).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Nothing loads from elsewhere; wasm may compile (tfjs wasm previews); inline styles for Vue. */
export const STUDIO_CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export { TOKEN_HEADER } from '../../shared/channels';

/** 32 random bytes, hex: the browser-mode session secret. */
export function createToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The server's own origin; any other Origin header is refused. */
export function ownOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** An absent Origin is fine (same-origin GETs, non-browser clients); a foreign one is not. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === ownOrigin(port);
}

/**
 * The Host header must name the loopback address: a page on another site that re-points
 * its DNS name at 127.0.0.1 (DNS rebinding) still sends its own host name and is refused.
 * Only 127.0.0.1 (not `localhost`), so the page's origin always matches ownOrigin.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}`;
}

export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
