/**
 * IDX importer: an image file and a label file (raw or gzipped), optionally a test pair.
 * Without a test pair the deterministic per-class split applies.
 * Used by: node/datasets/importers.ts.
 */
import type { DatasetManifest } from '../../core/data/dataset';
import { StudioError } from '../../shared/result';
import { checkImageSize, storeImport, type ImportProgress } from './assemble';
import { badFile, throwIfAborted } from './errors';
import { readIdxPair } from './idx';

export interface IdxSource {
  kind: 'idx';
  images: string;
  labels: string;
  testImages?: string;
  testLabels?: string;
}

export async function importIdx(workspace: string, name: string, source: IdxSource, testFraction: number, progress: ImportProgress): Promise<DatasetManifest> {
  if ((source.testImages === undefined) !== (source.testLabels === undefined)) {
    throw new StudioError('BAD_REQUEST', 'give both test images and test labels, or neither');
  }
  const steps = source.testImages ? 2 : 1;
  progress.onProgress?.(0, steps, 'reading');
  const train = await readIdxPair(source.images, source.labels);
  checkImageSize(train.images.width, train.images.height, source.images);
  progress.onProgress?.(1, steps, 'reading');
  throwIfAborted(progress.signal, 'the import');
  let images = train.images.pixels;
  let labels: Uint8Array = train.labels;
  let testStart: number | undefined;
  if (source.testImages && source.testLabels) {
    const test = await readIdxPair(source.testImages, source.testLabels);
    if (test.images.width !== train.images.width || test.images.height !== train.images.height) {
      throw badFile(source.testImages, `images are ${test.images.width} x ${test.images.height} but the training images are ${train.images.width} x ${train.images.height}`);
    }
    images = concat(images, test.images.pixels);
    labels = concat(labels, test.labels);
    testStart = train.images.count;
  }
  return storeImport(workspace, {
    name,
    source: `IDX ${source.images}`,
    notes: [],
    width: train.images.width,
    height: train.images.height,
    images,
    labelValues: Array.from(labels, String),
    testStart,
    testFraction,
  }, progress);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
