/**
 * Datasets store: the dataset list, the current filter (split, class), a paged and cached
 * view of the thumbnails (pages fetched on demand through datasets.page, decoded once,
 * least recently used pages evicted), statistics, and imports followed through job events.
 * Used by: views/DatasetsView.vue, components/ThumbGrid.vue, ImportDialog.vue, StatsPanel.vue,
 * and for the dataset list views/TrainingView.vue, RegionView.vue, components/TrainForm.vue.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import { base64ToBytes } from '../lib/pixels';
import type { DatasetStats, DatasetSummary, JobEvent } from '../../shared/dto';
import type { DatasetImportRequest, Split } from '../../shared/schemas';

export const PAGE_SIZE = 256;
/** The dataset a fresh workspace opens on. */
export const DEFAULT_DATASET_ID = 'mnist';
export const MAX_CACHED_PAGES = 300;

export interface Thumb {
  index: number;
  label: number;
  pixels: Uint8Array;
}

export interface ImportState {
  jobId: string;
  done: number;
  total: number;
  message?: string;
  finished: boolean;
  report: string[];
  error?: string;
}

function summariseImport(result: unknown): string[] {
  if (typeof result !== 'object' || result === null) return [];
  const r = result as { notes?: unknown; skipped?: unknown; name?: unknown; counts?: { train?: number; test?: number } };
  const lines: string[] = [];
  if (r.counts) lines.push(`Imported ${r.counts.train ?? 0} training and ${r.counts.test ?? 0} test images.`);
  if (Array.isArray(r.notes)) lines.push(...r.notes.map(String));
  if (Array.isArray(r.skipped)) lines.push(...r.skipped.slice(0, 50).map((s) => `Skipped: ${typeof s === 'string' ? s : JSON.stringify(s)}`));
  return lines;
}

export const useDatasetsStore = defineStore('datasets', () => {
  const list = ref<DatasetSummary[]>([]);
  /** An empty list means "no datasets" only once the engine has answered. */
  const listLoaded = ref(false);
  /** Why the list could not be loaded (the view says so, with a retry, instead of "No datasets."). */
  const listError = ref<string | null>(null);
  const selectedId = ref<string | null>(null);
  const split = ref<Split>('train');
  const label = ref<number | null>(null);
  const total = ref(0);
  /** Bumped whenever a page arrives, so views redraw; the pages themselves are not reactive. */
  const version = ref(0);
  const stats = shallowRef<DatasetStats | null>(null);
  /** Why the statistics of the selected dataset could not be loaded (the panel says so instead of "Loading…"). */
  const statsError = ref<string | null>(null);
  const importing = ref<ImportState | null>(null);
  const pages = new Map<string, Thumb[]>();
  const pending = new Map<string, Promise<void>>();
  /** Total of each filter seen, so a cached page 0 restores it without a request. */
  const totals = new Map<string, number>();
  let unsubscribe: (() => void) | null = null;

  const selected = computed(() => list.value.find((d) => d.id === selectedId.value) ?? null);
  const filterKey = computed(() => `${selectedId.value}|${split.value}|${label.value ?? '*'}`);

  async function loadList(): Promise<void> {
    listError.value = null;
    const result = await api().datasets.list({});
    if (!result.ok) {
      listError.value = result.error.message;
      return useAppStore().report('Loading datasets', result.error);
    }
    list.value = result.value;
    listLoaded.value = true;
    if (!selectedId.value || !list.value.some((d) => d.id === selectedId.value)) {
      const first = list.value.find((d) => d.id === DEFAULT_DATASET_ID) ?? list.value[0];
      if (first) await select(first.id);
    }
  }

  function touch(key: string, page: Thumb[]): void {
    pages.delete(key);
    pages.set(key, page);
    while (pages.size > MAX_CACHED_PAGES) pages.delete(pages.keys().next().value as string);
  }

  /** Fetches page `p` of the current filter unless cached or in flight. */
  function loadPage(p: number): Promise<void> {
    const id = selectedId.value;
    if (!id) return Promise.resolve();
    const key = `${filterKey.value}#${p}`;
    const cached = pages.get(key);
    if (cached) {
      touch(key, cached);
      total.value = totals.get(filterKey.value) ?? total.value;
      return Promise.resolve();
    }
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const filter = filterKey.value;
    const request = api()
      .datasets.page({ datasetId: id, split: split.value, label: label.value, offset: p * PAGE_SIZE, limit: PAGE_SIZE })
      .then((result) => {
        pending.delete(key);
        if (!result.ok) return useAppStore().report('Loading thumbnails', result.error);
        touch(key, result.value.items.map((t) => ({ index: t.index, label: t.label, pixels: base64ToBytes(t.pixels) })));
        totals.set(filter, result.value.total);
        if (filter === filterKey.value) {
          total.value = result.value.total;
          version.value += 1;
        }
      });
    pending.set(key, request);
    return request;
  }

  /** Makes sure items first..last (positions in the filtered list) are loaded or loading. */
  function ensureRange(first: number, last: number): Promise<void[]> {
    const from = Math.max(0, Math.floor(first / PAGE_SIZE));
    const to = Math.max(from, Math.floor(Math.max(first, last) / PAGE_SIZE));
    const loads: Promise<void>[] = [];
    for (let p = from; p <= to; p++) loads.push(loadPage(p));
    return Promise.all(loads);
  }

  /** The thumbnail at a position of the filtered list, if its page is cached. */
  function thumbAt(position: number): Thumb | undefined {
    const page = pages.get(`${filterKey.value}#${Math.floor(position / PAGE_SIZE)}`);
    return page?.[position % PAGE_SIZE];
  }

  function cachedPageCount(): number {
    return pages.size;
  }

  async function setFilter(next: { split?: Split; label?: number | null }): Promise<void> {
    if (next.split !== undefined) split.value = next.split;
    if (next.label !== undefined) label.value = next.label;
    total.value = 0;
    version.value += 1;
    await loadPage(0);
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    label.value = null;
    stats.value = null;
    statsError.value = null;
    await setFilter({});
    void loadStats();
  }

  async function loadStats(): Promise<void> {
    const id = selectedId.value;
    if (!id) return;
    statsError.value = null;
    const result = await api().datasets.stats({ datasetId: id, tokenizer: selected.value?.defaultTokenizer });
    if (id !== selectedId.value) return;
    if (!result.ok) {
      statsError.value = result.error.message;
      return useAppStore().report('Loading statistics', result.error);
    }
    stats.value = result.value;
  }

  function onEvent(e: JobEvent): void {
    const state = importing.value;
    if (!state || e.jobId !== state.jobId) return;
    if (e.type === 'progress') importing.value = { ...state, done: e.done, total: e.total, message: e.message };
    else if (e.type === 'error') importing.value = { ...state, finished: true, error: e.message };
    else if (e.type === 'done') {
      importing.value = { ...state, finished: true, done: state.total, report: summariseImport(e.result) };
      void loadList();
    }
  }

  async function startImport(request: DatasetImportRequest): Promise<boolean> {
    unsubscribe ??= api().onJobEvent(onEvent);
    const result = await api().datasets.import(request);
    if (!result.ok) {
      useAppStore().report('Importing', result.error);
      return false;
    }
    importing.value = { jobId: result.value.jobId, done: 0, total: 0, finished: false, report: [] };
    return true;
  }

  async function remove(id: string): Promise<void> {
    const result = await api().datasets.remove({ datasetId: id });
    if (!result.ok) return useAppStore().report('Removing the dataset', result.error);
    if (selectedId.value === id) selectedId.value = null;
    await loadList();
  }

  return {
    list, listLoaded, listError, selectedId, selected, split, label, total, version, stats, statsError, importing,
    loadList, select, setFilter, ensureRange, thumbAt, cachedPageCount, loadStats, startImport, remove, onEvent,
  };
});
