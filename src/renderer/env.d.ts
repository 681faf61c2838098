/// <reference types="vite/client" />
/**
 * Ambient types of the renderer: Vue single-file components, and the `studio` API that
 * the Electron preload exposes on window (absent in browser mode).
 */
import type { StudioApi } from '../shared/api';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

export {};
