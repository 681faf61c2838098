/**
 * IDX files (the MNIST format): a 4-byte magic (0, 0, type, dims), `dims` big-endian
 * uint32 sizes, then the data. Only unsigned bytes (type 0x08) are read: images N x H x W
 * and labels N. Every defect (empty, wrong magic, truncated, trailing bytes, zero records,
 * counts that differ) is a BAD_FILE error naming the file and the offset.
 * Used by: node/datasets/builtins.ts (MNIST), node/datasets/import-idx.ts.
 */
import { badFile, hexBytes } from './errors';
import { readMaybeGzip } from './files';

export interface IdxArray {
  dims: number[];
  /** The data bytes after the header (a view into the file's buffer). */
  data: Uint8Array;
}

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** [count, height, width] uint8 */
  pixels: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** Parses the bytes of an (uncompressed) IDX file of unsigned bytes. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length === 0) throw badFile(file, 'the file is empty (0 bytes)');
  if (bytes.length < 4) throw badFile(file, `truncated IDX header: ${bytes.length} bytes, the magic alone needs 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw badFile(file, `not an IDX file: bytes at offset 0 are ${hexBytes(bytes, 0, 4)}, an IDX magic starts with 0x00 0x00`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? 'unknown';
    throw badFile(file, `IDX data type 0x${type.toString(16).padStart(2, '0')} (${name}) at offset 2 is not supported; only unsigned bytes (0x08)`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw badFile(file, 'IDX header at offset 3 declares 0 dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw badFile(file, `truncated IDX header: ${ndims} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let expected = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) throw badFile(file, `IDX dimension ${d} (offset ${4 + 4 * d}) is 0: the file holds no records`);
    dims.push(size);
    expected *= size;
  }
  const present = bytes.length - headerBytes;
  if (present < expected) {
    throw badFile(file, `truncated at offset ${bytes.length}: the header (${dims.join(' x ')}) announces ${expected} data bytes from offset ${headerBytes}, only ${present} are present`);
  }
  if (present > expected) {
    throw badFile(file, `${present - expected} unexpected bytes after the data, from offset ${headerBytes + expected} (header: ${dims.join(' x ')})`);
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + expected) };
}

/** Reads an IDX file, gunzipping it when it is gzipped. */
export async function readIdx(path: string): Promise<IdxArray> {
  return parseIdx(await readMaybeGzip(path), path);
}

/** Checks that an IDX array is a stack of images (N x H x W). */
export function asImages(arr: IdxArray, file: string): IdxImages {
  if (arr.dims.length !== 3) {
    throw badFile(file, `an image file must have 3 dimensions (count x height x width), this one has ${arr.dims.length} (${arr.dims.join(' x ')})`);
  }
  const [count, height, width] = arr.dims;
  return { count, height, width, pixels: arr.data };
}

/** Checks that an IDX array is a label vector (N). */
export function asLabels(arr: IdxArray, file: string): Uint8Array {
  if (arr.dims.length !== 1) {
    throw badFile(file, `a label file must have 1 dimension, this one has ${arr.dims.length} (${arr.dims.join(' x ')})`);
  }
  return arr.data;
}

/** Reads an image file and its label file and checks that their counts agree. */
export async function readIdxPair(imagesPath: string, labelsPath: string): Promise<{ images: IdxImages; labels: Uint8Array }> {
  const images = asImages(await readIdx(imagesPath), imagesPath);
  const labels = asLabels(await readIdx(labelsPath), labelsPath);
  if (labels.length !== images.count) {
    throw badFile(imagesPath, `holds ${images.count} images but ${labelsPath} holds ${labels.length} labels; the counts must agree`);
  }
  return { images, labels };
}
