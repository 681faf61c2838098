/**
 * The common end of every importer: raw label values become classes, items are ordered
 * train then test (the source's own split, or the deterministic per-class split of
 * core/data), sizes are checked, and the dataset is stored atomically.
 * Used by: node/datasets/import-idx.ts, import-npy.ts, import-folder.ts, import-csv.ts.
 */
import { assignTestSplit, classesFromValues, splitOrder, type DatasetManifest, type SplitCounts } from '../../core/data/dataset';
import type { TokenizerConfig } from '../../core/language/types';
import { StudioError } from '../../shared/result';
import { badFile, throwIfAborted } from './errors';
import { slugFromName } from './manifest';
import { writeDataset } from './store';

export const MAX_SIDE = 256;
export const MAX_CLASSES = 1000;
export const MAX_DATASET_BYTES = 2 ** 31 - 1;
export const IMPORT_DEFAULT_TOKENIZER: TokenizerConfig = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' };

export interface ImportProgress {
  onProgress?: (done: number, total: number, message?: string) => void;
  signal?: AbortSignal;
}

export interface RawImport {
  name: string;
  source: string;
  notes: string[];
  width: number;
  height: number;
  /** [N, height, width] uint8, in source order. */
  images: Uint8Array;
  /** Label text per item, in source order ("7", "cat"). */
  labelValues: readonly string[];
  /** When the source brings its own split: items from this index on are test. */
  testStart?: number;
  testFraction: number;
}

/** Checks a numeric label value: an integer 0..999. `where` names file and index or row. */
export function checkNumericLabel(value: number, where: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= MAX_CLASSES) {
    throw new StudioError('BAD_FILE', `${where}: label ${value} is out of range (labels are integers 0..${MAX_CLASSES - 1})`);
  }
}

/** Checks the image size shared by a dataset (IDX and NumPy sources, which cannot resize). */
export function checkImageSize(width: number, height: number, file: string): void {
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw badFile(file, `images are ${width} x ${height}; the largest side allowed is ${MAX_SIDE} pixels`);
  }
}

function labelsAndSplit(raw: RawImport): { classes: string[]; order: number[]; counts: SplitCounts; labelOf: Uint16Array } {
  const { classes, index } = classesFromValues(raw.labelValues);
  if (classes.length > MAX_CLASSES) throw new StudioError('BAD_FILE', `${raw.source}: ${classes.length} classes; at most ${MAX_CLASSES} are supported`);
  const labelOf = Uint16Array.from(raw.labelValues, (v) => index.get(v) ?? 0);
  const n = raw.labelValues.length;
  const isTest = raw.testStart !== undefined
    ? Array.from({ length: n }, (_, i) => i >= (raw.testStart as number))
    : assignTestSplit(labelOf, classes.length, raw.testFraction);
  const { order, counts } = splitOrder(isTest);
  return { classes, order, counts, labelOf };
}

/** Orders, checks and stores an import; returns the new dataset's manifest. */
export async function storeImport(workspace: string, raw: RawImport, progress: ImportProgress): Promise<DatasetManifest> {
  const n = raw.labelValues.length;
  const pixels = raw.width * raw.height;
  if (n === 0) throw new StudioError('BAD_FILE', `${raw.source}: no images found`);
  if (raw.images.length !== n * pixels) throw new StudioError('INTERNAL', `image bytes (${raw.images.length}) do not match ${n} labels`);
  if (n * pixels > MAX_DATASET_BYTES) throw new StudioError('BAD_FILE', `${raw.source}: ${n} images of ${raw.width} x ${raw.height} exceed the 2 GiB a dataset may hold`);
  throwIfAborted(progress.signal, 'the import');
  const { classes, order, counts, labelOf } = labelsAndSplit(raw);
  const images = new Uint8Array(n * pixels);
  const labels = new Uint16Array(n);
  order.forEach((src, dst) => {
    images.set(raw.images.subarray(src * pixels, (src + 1) * pixels), dst * pixels);
    labels[dst] = labelOf[src];
  });
  const splitNote = raw.testStart !== undefined
    ? 'split: as given by the source'
    : `split: per class the last ${Math.round(raw.testFraction * 100)}% of the items (source order) are test`;
  progress.onProgress?.(n, n, 'writing');
  return writeDataset(workspace, {
    name: raw.name,
    builtin: false,
    classes,
    width: raw.width,
    height: raw.height,
    counts,
    source: raw.source,
    defaultTokenizer: IMPORT_DEFAULT_TOKENIZER,
    notes: [...raw.notes, splitNote],
    images,
    labels,
  }, { id: slugFromName(raw.name), signal: progress.signal });
}
