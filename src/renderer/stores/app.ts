/**
 * App store: which view is open, what the engine reports about itself (system.info, the
 * backend in use) and the error sentences shown in the banner.
 * Used by: App.vue, the Datasets/Inspector/Sampler views and components/ImportDialog.vue,
 * ModelTransfer.vue (to navigate, read the engine info, report), every other store (to report errors).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, describeError } from '../api';
import type { BackendName, SystemInfo } from '../../shared/dto';
import type { StudioErrorData } from '../../shared/result';

export type ViewName = 'datasets' | 'inspector' | 'training' | 'sampler' | 'region' | 'evaluate';

export interface Notice {
  id: number;
  text: string;
}

export const useAppStore = defineStore('app', () => {
  const view = ref<ViewName>('datasets');
  const info = ref<SystemInfo | null>(null);
  const backend = ref<BackendName | null>(null);
  /** system.info failed: the header says so instead of "connecting" for ever. */
  const infoFailed = ref(false);
  const notices = ref<Notice[]>([]);
  let nextNotice = 1;

  function go(name: ViewName): void {
    view.value = name;
  }

  /** Shows an error as one sentence; identical sentences are not stacked. */
  function report(action: string, error: StudioErrorData): void {
    const text = describeError(action, error);
    if (notices.value.some((n) => n.text === text)) return;
    notices.value = [...notices.value.slice(-3), { id: nextNotice++, text }];
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  async function loadInfo(): Promise<void> {
    const result = await api().system.info({});
    infoFailed.value = !result.ok;
    if (!result.ok) return report('Connecting to the engine', result.error);
    info.value = result.value;
    backend.value ??= result.value.backends.find((b) => b.available)?.name ?? null;
  }

  function noteBackend(name: BackendName): void {
    backend.value = name;
  }

  return { view, info, backend, infoFailed, notices, go, report, dismiss, loadInfo, noteBackend };
});
