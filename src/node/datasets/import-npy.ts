/**
 * NumPy importer: images as a .npy (uint8 N x H x W) with labels in a second .npy, or a
 * .npz holding them. Recognised .npz names: x_train / y_train (+ x_test / y_test, the
 * Keras layout, which brings its own split), images / labels, x / y; else the only 3-D
 * uint8 array and the only 1-D integer array. Labels are integers 0..999; without labels
 * every image is one class "0".
 * Used by: node/datasets/importers.ts.
 */
import type { DatasetManifest } from '../../core/data/dataset';
import { checkImageSize, checkNumericLabel, storeImport, type ImportProgress } from './assemble';
import { badFile } from './errors';
import { readInputFile } from './files';
import { npyImages, npyLabels, parseNpy, parseNpz, type NpyArray } from './npy';

export interface NpySource {
  kind: 'npy';
  images: string;
  labels?: string;
}

interface Part {
  images: NpyArray;
  labels?: NpyArray;
  imagesName: string;
  labelsName: string;
}

function pickFromNpz(arrays: Map<string, NpyArray>, file: string): { train: Part; test?: Part } {
  const named = (x: string, y: string): Part | undefined => {
    const images = arrays.get(x);
    return images ? { images, labels: arrays.get(y), imagesName: `${file}:${x}`, labelsName: `${file}:${y}` } : undefined;
  };
  const train = named('x_train', 'y_train') ?? named('images', 'labels') ?? named('x', 'y');
  if (train) return { train, test: arrays.has('x_train') ? named('x_test', 'y_test') : undefined };
  const cubes = [...arrays].filter(([, a]) => a.shape.length >= 3);
  const vectors = [...arrays].filter(([, a]) => a.shape.length === 1);
  if (cubes.length !== 1 || vectors.length > 1) {
    throw badFile(file, `cannot tell images from labels among the arrays ${[...arrays.keys()].join(', ')}; name them images and labels (or x_train, y_train)`);
  }
  const [[xName, images]] = cubes;
  const yName = vectors[0]?.[0] ?? '';
  return { train: { images, labels: vectors[0]?.[1], imagesName: `${file}:${xName}`, labelsName: `${file}:${yName}` } };
}

function readPart(part: Part): { count: number; width: number; height: number; pixels: Uint8Array; labels: string[] } {
  const img = npyImages(part.images, part.imagesName);
  checkImageSize(img.width, img.height, part.imagesName);
  let labels: string[];
  if (part.labels) {
    const values = npyLabels(part.labels, part.labelsName);
    if (values.length !== img.count) {
      throw badFile(part.imagesName, `holds ${img.count} images but ${part.labelsName} holds ${values.length} labels; the counts must agree`);
    }
    values.forEach((v, i) => checkNumericLabel(v, `${part.labelsName}: index ${i}`));
    labels = values.map(String);
  } else {
    labels = new Array<string>(img.count).fill('0');
  }
  return { ...img, labels };
}

export async function importNpy(workspace: string, name: string, source: NpySource, testFraction: number, progress: ImportProgress): Promise<DatasetManifest> {
  progress.onProgress?.(0, 1, 'reading');
  const bytes = await readInputFile(source.images);
  const isZip = bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK"
  let parts: { train: Part; test?: Part };
  if (isZip) parts = pickFromNpz(parseNpz(bytes, source.images), source.images);
  else parts = { train: { images: parseNpy(bytes, source.images), imagesName: source.images, labelsName: source.labels ?? '' } };
  if (source.labels) {
    parts.train.labels = parseNpy(await readInputFile(source.labels), source.labels);
    parts.train.labelsName = source.labels;
  }
  const train = readPart(parts.train);
  const test = parts.test ? readPart(parts.test) : undefined;
  if (test && (test.width !== train.width || test.height !== train.height)) {
    throw badFile(parts.test?.imagesName ?? source.images, `test images are ${test.width} x ${test.height} but training images are ${train.width} x ${train.height}`);
  }
  const images = new Uint8Array(train.pixels.length + (test?.pixels.length ?? 0));
  images.set(train.pixels);
  if (test) images.set(test.pixels, train.pixels.length);
  return storeImport(workspace, {
    name,
    source: `NumPy ${source.images}`,
    notes: parts.train.labels ? [] : ['no labels: every image is in class "0"'],
    width: train.width,
    height: train.height,
    images,
    labelValues: test ? [...train.labels, ...test.labels] : train.labels,
    testStart: test ? train.count : undefined,
    testFraction,
  }, progress);
}
