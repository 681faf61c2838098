/**
 * Decoding image files for imports with sharp: PNG, JPEG or WebP in, 8-bit grayscale out.
 * Transparency is flattened onto black; colour becomes luma Y = 0.299 R + 0.587 G + 0.114 B
 * (ITU-R BT.601, rounded). Every image of a dataset has one size: the first image fixes it
 * (shrunk to fit `maxSize` when resizing is allowed); the others must match it or, with
 * `resize`, are stretched to it. Too-large or mismatched images are clear BAD_FILE errors.
 * Used by: node/datasets/import-folder.ts, import-csv.ts.
 */
import sharp, { type Metadata } from 'sharp';
import { StudioError } from '../../shared/result';
import { badFile, messageOf, throwIfAborted } from './errors';
import { readInputFile } from './files';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];
const FORMATS = new Set(['png', 'jpeg', 'webp']);

export interface Size {
  width: number;
  height: number;
}

export interface DecodeOptions {
  maxSize: number;
  resize: boolean;
  /** The dataset's size once known (the first image fixes it). */
  target?: Size;
  /** Names what the target size belongs to in errors, e.g. "the model's images are" (default: the dataset's images). */
  sizeOf?: string;
}

export interface GrayImage extends Size {
  pixels: Uint8Array; // [height, width] uint8
}

export function hasImageExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The size every image is brought to, given the first image's size. */
export function targetSizeFor(first: Size, options: DecodeOptions, file: string): Size {
  const side = Math.max(first.width, first.height);
  if (side <= options.maxSize) return first;
  if (!options.resize) {
    throw badFile(file, `is ${first.width} x ${first.height}; the largest side allowed is ${options.maxSize} pixels (import with resize, --resize in the CLI, to shrink images)`);
  }
  const scale = options.maxSize / side;
  return { width: Math.max(1, Math.round(first.width * scale)), height: Math.max(1, Math.round(first.height * scale)) };
}

function toLuma(data: Uint8Array, channels: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  if (channels < 3) {
    for (let i = 0; i < pixels; i++) out[i] = data[i * channels];
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    const o = i * channels;
    out[i] = Math.round(0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2]);
  }
  return out;
}

/** Decodes one image file to grayscale at the dataset's size. */
export async function decodeImageFile(path: string, options: DecodeOptions): Promise<GrayImage> {
  const bytes = await readInputFile(path);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: 1 << 26 }).metadata();
  } catch (e) {
    throw badFile(path, `not a readable image (PNG, JPEG or WebP expected): ${messageOf(e)}`);
  }
  if (!meta.format || !FORMATS.has(meta.format)) throw badFile(path, `is a ${meta.format ?? 'unknown'} file; PNG, JPEG and WebP images are supported`);
  const size = { width: meta.width ?? 0, height: meta.height ?? 0 };
  if (size.width === 0 || size.height === 0) throw badFile(path, 'the image has no pixels');
  // Checked for every image, so a too-large one is named as such rather than as mismatched.
  const ownTarget = targetSizeFor(size, options, path);
  const target = options.target ?? ownTarget;
  if ((size.width !== target.width || size.height !== target.height) && !options.resize) {
    throw badFile(path, `is ${size.width} x ${size.height} but ${options.sizeOf ?? "the dataset's images are"} ${target.width} x ${target.height}${options.sizeOf ? '' : '; all images must share one size (import with resize, --resize in the CLI, to stretch them)'}`);
  }
  try {
    let pipeline = sharp(bytes, { limitInputPixels: 1 << 26 }).flatten({ background: '#000000' });
    if (size.width !== target.width || size.height !== target.height) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const pixels = toLuma(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels, info.width * info.height);
    return { width: info.width, height: info.height, pixels };
  } catch (e) {
    throw badFile(path, `the image data is corrupt or truncated: ${messageOf(e)}`);
  }
}

export interface DecodeJob {
  path: string;
  /** Prefix for errors, e.g. "labels.csv: row 4: " (empty for folders). */
  context: string;
}

/**
 * Decodes many files into one [N, H, W] array, a few at a time (sharp works on libuv's
 * thread pool), in input order. The first file fixes the size.
 */
export async function decodeAll(
  jobs: readonly DecodeJob[],
  options: DecodeOptions,
  onProgress: (done: number) => void,
  signal?: AbortSignal,
): Promise<{ size: Size; images: Uint8Array }> {
  const withContext = async (job: DecodeJob, opts: DecodeOptions): Promise<GrayImage> => {
    try {
      return await decodeImageFile(job.path, opts);
    } catch (e) {
      if (!job.context) throw e;
      // A row that names a missing file is a defect of the list itself.
      const code = e instanceof StudioError && e.code !== 'NOT_FOUND' ? e.code : 'BAD_FILE';
      throw new StudioError(code, `${job.context}${messageOf(e)}`);
    }
  };
  const first = await withContext(jobs[0], options);
  const size = { width: first.width, height: first.height };
  const pixels = size.width * size.height;
  const images = new Uint8Array(jobs.length * pixels);
  images.set(first.pixels);
  onProgress(1);
  const concurrency = 6;
  for (let start = 1; start < jobs.length; start += concurrency) {
    throwIfAborted(signal, 'the import');
    const batch = jobs.slice(start, start + concurrency);
    const decoded = await Promise.all(batch.map((job) => withContext(job, { ...options, target: size })));
    decoded.forEach((img, k) => images.set(img.pixels, (start + k) * pixels));
    onProgress(Math.min(jobs.length, start + concurrency));
  }
  return { size, images };
}
