/**
 * The renderer's only door to the engine. `api()` returns the StudioApi in use: the
 * preload's `window.studio` in Electron, the HTTP bridge in browser mode, or a fake that a
 * test installed with `setApi`. Stores call this and nothing else.
 * Used by: main.ts (connectApi), every store, components/ImportDialog.vue and ModelTransfer.vue.
 */
import type { StudioApi } from '../../shared/api';
import { createBrowserApi, takeToken } from './browser';

let current: StudioApi | null = null;

export function setApi(studio: StudioApi | null): void {
  current = studio;
}

export function api(): StudioApi {
  if (!current) throw new Error('The studio API is not connected yet.');
  return current;
}

/** Picks the transport once at startup; returns the API and the mode for the header. */
export function connectApi(): { studio: StudioApi; mode: 'electron' | 'browser'; hasToken: boolean } {
  if (window.studio) {
    setApi(window.studio);
    return { studio: window.studio, mode: 'electron', hasToken: true };
  }
  const token = takeToken({
    href: window.location.href,
    storage: window.sessionStorage,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  });
  const studio = createBrowserApi({ token: token ?? '' });
  setApi(studio);
  return { studio, mode: 'browser', hasToken: token !== null };
}

export type { StudioApi };
export { describeError } from './errors';
