/**
 * Inspector store: one image and its sentence (a dataset item or a generated sample), the
 * prefix shown (any prefix decodes), the decoded image and coefficients at that prefix,
 * its PSNR, and the per-token positions for the token list and mosaic.
 * Used by: views/InspectorView.vue and the Datasets/Sampler views (to open an image).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';
import { useAppStore } from './app';
import { base64ToBytes } from '../lib/pixels';
import { decodePrefix, planeBoundaries, psnrOf, toTokens, traceOf, type Sentence, type Trace } from '../lib/codec';
import type { TokenizerConfig } from '../../core/language/types';
import type { Split } from '../../shared/schemas';

export interface InspectedImage {
  title: string;
  /** Where it came from, so it can be reopened with another tokenizer. */
  origin: { kind: 'dataset'; datasetId: string; split: Split; index: number } | { kind: 'sample' };
  label: number;
  classes: string[];
  width: number;
  height: number;
  /** The original pixels; null for samples (the full decode is the reference). */
  original: Uint8Array | null;
  sentence: Sentence;
  tokenizer: TokenizerConfig;
}

export const useInspectorStore = defineStore('inspector', () => {
  const image = shallowRef<InspectedImage | null>(null);
  const prefix = ref(0);
  const loading = ref(false);
  /** Numbers each opening: an answer that is no longer the latest must not replace what was asked since. */
  let latest = 0;

  const length = computed(() => image.value?.sentence.tokens.length ?? 0);
  const trace = computed<Trace | null>(() => {
    const im = image.value;
    if (!im) return null;
    try {
      return traceOf(im.sentence, im.tokenizer, im.width, im.height);
    } catch {
      return null; // an illegal sentence still shows its tokens, without positions
    }
  });
  const boundaries = computed(() => (trace.value ? planeBoundaries(trace.value) : []));
  const decoded = computed(() => {
    const im = image.value;
    if (!im) return null;
    try {
      return decodePrefix(im.sentence, prefix.value, im.tokenizer, im.width, im.height);
    } catch {
      return null;
    }
  });
  const reference = computed(() => {
    const im = image.value;
    if (!im) return null;
    return im.original ?? decodePrefix(im.sentence, im.sentence.tokens.length, im.tokenizer, im.width, im.height).pixels;
  });
  const psnr = computed(() => (decoded.value && reference.value ? psnrOf(decoded.value.pixels, reference.value) : null));

  function display(next: InspectedImage): void {
    image.value = next;
    prefix.value = next.sentence.tokens.length;
  }

  /** Shows an image at hand (a sample); an item still being fetched must not replace it. */
  function show(next: InspectedImage): void {
    latest += 1;
    loading.value = false;
    display(next);
  }

  function setPrefix(n: number): void {
    prefix.value = Math.max(0, Math.min(length.value, Math.round(n)));
  }

  async function openDatasetItem(datasetId: string, split: Split, index: number, classes: string[], tokenizer?: TokenizerConfig): Promise<boolean> {
    const ticket = ++latest;
    loading.value = true;
    const result = await api().datasets.item({ datasetId, split, index, tokenizer });
    if (ticket !== latest) return false;
    loading.value = false;
    if (!result.ok) {
      useAppStore().report('Opening the image', result.error);
      return false;
    }
    const item = result.value;
    display({
      title: `${datasetId} · ${split} #${index}`,
      origin: { kind: 'dataset', datasetId, split, index },
      label: item.label, classes, width: item.width, height: item.height,
      original: base64ToBytes(item.pixels),
      sentence: { tokens: toTokens(item.sentence.tokens), startExponent: item.sentence.startExponent },
      tokenizer: item.tokenizer,
    });
    return true;
  }

  /** Reopens the current dataset item under another tokenizer (wavelet, final threshold). */
  async function retokenize(tokenizer: TokenizerConfig): Promise<boolean> {
    const im = image.value;
    if (im?.origin.kind !== 'dataset') return false;
    return openDatasetItem(im.origin.datasetId, im.origin.split, im.origin.index, im.classes, tokenizer);
  }

  return { image, prefix, loading, length, trace, boundaries, decoded, psnr, show, setPrefix, openDatasetItem, retokenize };
});
