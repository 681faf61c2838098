/**
 * Region editor store: the source image (a dataset item or a sample) and its sentence, the
 * pixel mask painted over it with undo/redo, the wavelet positions the mask owns and their
 * footprint, the edit constraints, and the candidates an edit job returns (accept replaces
 * the source, and is undoable too).
 * Used by: views/RegionView.vue, components/RegionConstraints.vue, and the Inspector/Sampler
 * views (to edit a region of their image).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import { decodePrefix, encode, geometry, regionOf, toTokens, type Selection, type Sentence } from '../lib/codec';
import { detailLevels } from '../lib/mallat';
import { base64ToBytes } from '../lib/pixels';
import type { TokenizerConfig } from '../../core/language/types';
import type { GeneratedSentence, JobEvent, JobState } from '../../shared/dto';
import type { EditStartRequest, SamplingDto } from '../../shared/schemas';

export interface RegionSource {
  title: string;
  width: number;
  height: number;
  sentence: Sentence;
  tokenizer: TokenizerConfig;
  classIndex: number;
  /** The image's true pixels when known (a dataset item); re-coding for a model starts from them. */
  original?: Uint8Array;
}

function sameTokenizer(a: TokenizerConfig, b: TokenizerConfig): boolean {
  return a.wavelet === b.wavelet && a.finalExponent === b.finalExponent && a.variant === b.variant;
}

export interface EditCandidate {
  key: string;
  sentence: Sentence;
  pixels: Uint8Array;
}

export type SubbandName = 'LL' | 'TR' | 'BL' | 'BR';

interface Snapshot {
  mask: Uint8Array;
  source: RegionSource | null;
}

const HISTORY_LIMIT = 100;
/** The highest plane number an edit request may name (its schema's bound). */
const MAX_PLANE = 64;

/**
 * Reads plane numbers and ranges ("0-2, 5"). Empty text means all planes (null). A range
 * written high to low ("5-2") names the same planes as low to high: an empty list would
 * ask the edit to change nothing.
 */
export function parsePlanes(text: string): { ok: true; planes: number[] | null } | { ok: false; error: string } {
  const t = text.trim();
  if (!t) return { ok: true, planes: null };
  const out = new Set<number>();
  for (const part of t.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return { ok: false, error: 'Use plane numbers and ranges, e.g. 0-2, 5.' };
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    if (Math.max(a, b) > MAX_PLANE) return { ok: false, error: `Planes run from 0 to ${MAX_PLANE}.` };
    for (let p = Math.min(a, b); p <= Math.max(a, b); p++) out.add(p);
  }
  return { ok: true, planes: [...out].sort((x, y) => x - y) };
}

/** A copy of `mask` with a disc of `radius` pixels at (x, y) set to `value`. */
export function paintDisc(mask: Uint8Array, width: number, height: number, x: number, y: number, radius: number, value: 0 | 1): Uint8Array {
  const out = mask.slice();
  const r = Math.max(0, radius);
  for (let row = Math.max(0, Math.floor(y - r)); row <= Math.min(height - 1, Math.ceil(y + r)); row++) {
    for (let col = Math.max(0, Math.floor(x - r)); col <= Math.min(width - 1, Math.ceil(x + r)); col++) {
      if ((row - y) ** 2 + (col - x) ** 2 <= r * r + 0.25) out[row * width + col] = value;
    }
  }
  return out;
}

export const useRegionStore = defineStore('region', () => {
  const source = shallowRef<RegionSource | null>(null);
  const mask = shallowRef<Uint8Array>(new Uint8Array(0));
  const undoStack = shallowRef<Snapshot[]>([]);
  const redoStack = shallowRef<Snapshot[]>([]);
  const selection = ref<Selection>('touching');
  const levels = ref<number[] | null>(null);
  const subbands = ref<SubbandName[] | null>(null);
  const planes = ref<number[] | null>(null);
  /** The planes field as typed; kept here so its error survives the view being switched away. */
  const planesText = ref('');
  const planesError = ref('');
  const regionClass = ref<number | null>(null);
  const candidates = shallowRef<EditCandidate[]>([]);
  const jobId = ref<string | null>(null);
  const state = ref<JobState | null>(null);
  const progress = ref({ done: 0, total: 0 });
  /** True while jobs.edit has not answered yet. */
  const starting = ref(false);
  /** An edit is being started or runs: Generate must wait for it. */
  const busy = computed(() => starting.value || state.value === 'queued' || state.value === 'running');
  // no level or no subband leaves nothing to regenerate: the edit would only copy the source
  const levelsError = computed(() => (levels.value?.length === 0 ? 'Choose at least one level.' : ''));
  const subbandsError = computed(() => (subbands.value?.length === 0 ? 'Choose at least one subband.' : ''));
  /** Why the constraints cannot be sent as they stand ('' when they can): Generate waits for a fix. */
  const constraintError = computed(() => levelsError.value || subbandsError.value || planesError.value);
  let unsubscribe: (() => void) | null = null;

  const pixels = computed(() => {
    const s = source.value;
    return s ? decodePrefix(s.sentence, s.sentence.tokens.length, s.tokenizer, s.width, s.height).pixels : null;
  });
  const maskCount = computed(() => mask.value.reduce((n, v) => n + v, 0));
  const region = computed(() => {
    const s = source.value;
    if (!s || maskCount.value === 0) return null;
    return regionOf(mask.value, s.width, s.height, s.tokenizer, selection.value);
  });

  function snapshot(): Snapshot {
    return { mask: mask.value, source: source.value };
  }

  /** Records the current state before a change (a stroke, a clear, an accept). */
  function checkpoint(): void {
    undoStack.value = [...undoStack.value.slice(-(HISTORY_LIMIT - 1)), snapshot()];
    redoStack.value = [];
  }

  function restore(s: Snapshot): void {
    mask.value = s.mask;
    source.value = s.source;
  }

  function undo(): void {
    const last = undoStack.value[undoStack.value.length - 1];
    if (!last) return;
    redoStack.value = [...redoStack.value, snapshot()];
    undoStack.value = undoStack.value.slice(0, -1);
    restore(last);
  }

  function redo(): void {
    const last = redoStack.value[redoStack.value.length - 1];
    if (!last) return;
    undoStack.value = [...undoStack.value, snapshot()];
    redoStack.value = redoStack.value.slice(0, -1);
    restore(last);
  }

  function load(next: RegionSource): void {
    source.value = next;
    // Levels a smaller image lacks are dropped rather than reported: they have no box to
    // untick, so an error about them could not be fixed where it is shown. What is left is
    // what the boxes show; if nothing is left, "Choose at least one level." holds Generate back.
    const deepest = detailLevels(geometry(next.width, next.height).size);
    if (levels.value) levels.value = levels.value.filter((l) => l <= deepest);
    mask.value = new Uint8Array(next.width * next.height);
    undoStack.value = [];
    redoStack.value = [];
    candidates.value = [];
    // an edit still running was asked of the previous image: its candidates must not land on this one
    jobId.value = null;
    state.value = null;
  }

  /** Paints one dab; call `checkpoint()` once at the start of a stroke. */
  function dab(x: number, y: number, radius: number, erase: boolean): void {
    const s = source.value;
    if (s) mask.value = paintDisc(mask.value, s.width, s.height, x, y, radius, erase ? 0 : 1);
  }

  function invert(): void {
    checkpoint();
    mask.value = mask.value.map((v) => 1 - v);
  }

  function clear(): void {
    checkpoint();
    mask.value = new Uint8Array(mask.value.length);
  }

  /** Until the text reads again, `planes` keeps its last value, and `constraintError` holds Generate back. */
  function setPlanesText(text: string): void {
    planesText.value = text;
    const parsed = parsePlanes(text);
    if (!parsed.ok) {
      planesError.value = parsed.error;
      return;
    }
    planesError.value = '';
    planes.value = parsed.planes;
  }

  function onEvent(e: JobEvent): void {
    if (e.jobId !== jobId.value) return;
    if (e.type === 'progress') progress.value = { done: e.done, total: e.total };
    else if (e.type === 'state') state.value = e.state;
    else if (e.type === 'error') {
      state.value = e.code === 'CANCELLED' ? 'cancelled' : 'error';
      if (e.code !== 'CANCELLED') useAppStore().report('Regenerating the region', { code: e.code as 'INTERNAL', message: e.message });
    } else if (e.type === 'done') {
      state.value = 'done';
      const s = source.value;
      const sentences = (e.result as { sentences?: GeneratedSentence[] } | null)?.sentences ?? [];
      if (s) {
        candidates.value = sentences.map((g, i) => {
          const sentence = { tokens: toTokens(g.tokens), startExponent: g.startExponent };
          return { key: `${e.jobId}:${i}`, sentence, pixels: decodePrefix(sentence, sentence.tokens.length, s.tokenizer, s.width, s.height).pixels };
        });
      }
    }
  }

  /**
   * The source in the model's language: an edit keeps every coefficient outside the region as
   * the source sentence gives it, so that sentence must be coded with the model's tokenizer.
   * A source in another language is re-coded from its pixels (the true ones when known).
   */
  function codedFor(tokenizer: TokenizerConfig): RegionSource | null {
    const s = source.value;
    if (!s || sameTokenizer(s.tokenizer, tokenizer)) return s;
    const image = s.original ?? pixels.value;
    if (!image) return null;
    const recoded = { ...s, tokenizer, sentence: encode(image, s.width, s.height, tokenizer) };
    source.value = recoded;
    return recoded;
  }

  async function generate(modelId: string, count: number, sampling: SamplingDto, seed: number, tokenizer?: TokenizerConfig): Promise<boolean> {
    if (busy.value || constraintError.value) return false;
    const s = tokenizer ? codedFor(tokenizer) : source.value;
    if (!s) return false;
    unsubscribe ??= api().onJobEvent(onEvent);
    const request: EditStartRequest = {
      modelId, source: { tokens: Array.from(s.sentence.tokens), startExponent: s.sentence.startExponent },
      mask: { width: s.width, height: s.height, bits: Array.from(mask.value, (v) => (v ? '1' : '0')).join('') },
      selection: selection.value, classIndex: s.classIndex, count, sampling, seed,
      ...(levels.value ? { levels: levels.value } : {}), ...(subbands.value ? { subbands: subbands.value } : {}),
      ...(planes.value ? { planes: planes.value } : {}), ...(regionClass.value !== null ? { regionClass: regionClass.value } : {}),
    };
    starting.value = true;
    const result = await api().jobs.edit(request).finally(() => {
      starting.value = false;
    });
    if (!result.ok) {
      useAppStore().report('Starting the region edit', result.error);
      return false;
    }
    jobId.value = result.value.jobId;
    state.value = 'queued';
    progress.value = { done: 0, total: count };
    candidates.value = [];
    return true;
  }

  /** Starts from a dataset image (its sentence under the dataset's tokenizer). */
  async function loadDatasetItem(datasetId: string, split: 'train' | 'test' | 'all', index: number): Promise<boolean> {
    const result = await api().datasets.item({ datasetId, split, index });
    if (!result.ok) {
      useAppStore().report('Opening the image', result.error);
      return false;
    }
    const item = result.value;
    load({
      title: `${datasetId} · ${split} #${index}`, width: item.width, height: item.height, tokenizer: item.tokenizer, classIndex: item.label,
      original: base64ToBytes(item.pixels),
      sentence: { tokens: toTokens(item.sentence.tokens), startExponent: item.sentence.startExponent },
    });
    return true;
  }

  function accept(key: string): void {
    const c = candidates.value.find((x) => x.key === key);
    const s = source.value;
    if (!c || !s) return;
    checkpoint();
    source.value = { ...s, sentence: c.sentence, title: `${s.title} (edited)` };
    candidates.value = candidates.value.filter((x) => x.key !== key);
  }

  function discard(key: string): void {
    candidates.value = candidates.value.filter((x) => x.key !== key);
  }

  return {
    source, mask, maskCount, pixels, region, selection, levels, subbands, planes, planesText, planesError, regionClass,
    levelsError, subbandsError, constraintError, candidates, jobId, state, progress, busy, undoStack, redoStack,
    load, loadDatasetItem, checkpoint, dab, invert, clear, undo, redo, setPlanesText, generate, accept, discard, onEvent,
  };
});
