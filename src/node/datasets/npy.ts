/**
 * NumPy .npy and .npz readers, just enough for datasets: a .npy header (magic, version,
 * Python-literal dict with descr / fortran_order / shape) over raw C-order data; a .npz is
 * a zip of .npy entries (unzipped with fflate). Images must be uint8 N x H x W (a trailing
 * channel axis of 1 is accepted); labels any integer dtype, N or N x 1.
 * Used by: node/datasets/import-npy.ts.
 */
import { unzipSync } from 'fflate';
import { badFile, hexBytes, messageOf } from './errors';

export interface NpyArray {
  /** numpy descr, e.g. "|u1", "<i8". */
  descr: string;
  kind: 'u' | 'i' | 'f' | 'b' | 'other';
  itemSize: number;
  littleEndian: boolean;
  shape: number[];
  /** Raw C-order data bytes (a view). */
  data: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function parseHeaderDict(text: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw badFile(file, `unreadable .npy header at offset 10: ${JSON.stringify(text.slice(0, 120))}`);
  }
  const parts = shapeText.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const shape = parts.map((p) => (/^\d+L?$/.test(p) ? Number.parseInt(p, 10) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) throw badFile(file, `unreadable shape (${shapeText}) in the .npy header`);
  return { descr, fortran: fortran === 'True', shape };
}

/** Parses one .npy file's bytes; `file` names it in errors (for npz: "a.npz:x_train.npy"). */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length === 0) throw badFile(file, 'the file is empty (0 bytes)');
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw badFile(file, `not a .npy file: bytes at offset 0 are ${hexBytes(bytes, 0, 6)}, expected the magic \\x93NUMPY`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw badFile(file, `unsupported .npy version ${major}.${bytes[7]} at offset 6`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw badFile(file, 'truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw badFile(file, `truncated .npy header: it announces ${headerLength} bytes from offset ${headerStart}, the file has ${bytes.length}`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeaderDict(text, file);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kindChar = m?.[2] ?? '';
  const kind: NpyArray['kind'] = kindChar === 'u' || kindChar === 'i' || kindChar === 'f' || kindChar === 'b' ? kindChar : 'other';
  const itemSize = m ? Number(m[3]) : 0;
  if (kind === 'other' || itemSize === 0) throw badFile(file, `unsupported dtype "${descr}"`);
  if (fortran && shape.length > 1) throw badFile(file, 'Fortran-order arrays are not supported; save the array with numpy.ascontiguousarray first');
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * itemSize;
  const present = bytes.length - dataStart;
  if (present < expected) {
    throw badFile(file, `truncated at offset ${bytes.length}: shape (${shape.join(', ')}) of ${descr} needs ${expected} data bytes from offset ${dataStart}, only ${present} are present`);
  }
  return { descr, kind, itemSize, littleEndian: m?.[1] !== '>', shape, data: bytes.subarray(dataStart, dataStart + expected) };
}

/** The arrays of a .npz (zip) file, by name without ".npy". */
export function parseNpz(bytes: Uint8Array, file: string): Map<string, NpyArray> {
  if (bytes.length === 0) throw badFile(file, 'the file is empty (0 bytes)');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name.endsWith('.npy') });
  } catch (e) {
    throw badFile(file, `not a readable .npz (zip) archive: ${messageOf(e)}`);
  }
  const out = new Map<string, NpyArray>();
  for (const [name, data] of Object.entries(entries)) out.set(name.replace(/\.npy$/, ''), parseNpy(data, `${file}:${name}`));
  if (out.size === 0) throw badFile(file, 'the .npz archive holds no .npy arrays');
  return out;
}

/** Checks the array is uint8 images [N, H, W] (or [N, H, W, 1]); returns N, H, W and the pixels. */
export function npyImages(arr: NpyArray, file: string): { count: number; height: number; width: number; pixels: Uint8Array } {
  const dims = arr.shape.length === 4 && arr.shape[3] === 1 ? arr.shape.slice(0, 3) : arr.shape;
  if (arr.descr.slice(1) !== 'u1') {
    throw badFile(file, `images must be uint8 (dtype |u1), this array is "${arr.descr}"`);
  }
  if (dims.length !== 3) throw badFile(file, `images must have shape (N, H, W), this array has (${arr.shape.join(', ')})`);
  const [count, height, width] = dims;
  if (count === 0 || height === 0 || width === 0) throw badFile(file, `the image array is empty: shape (${arr.shape.join(', ')})`);
  return { count, height, width, pixels: arr.data };
}

/** Reads integer labels [N] (or [N, 1]) of any integer dtype as numbers. */
export function npyLabels(arr: NpyArray, file: string): number[] {
  const flat = arr.shape.length === 2 && arr.shape[1] === 1 ? [arr.shape[0]] : arr.shape;
  if (flat.length !== 1) throw badFile(file, `labels must have shape (N,), this array has (${arr.shape.join(', ')})`);
  if (arr.kind !== 'u' && arr.kind !== 'i') throw badFile(file, `labels must be integers, this array is "${arr.descr}"`);
  if (![1, 2, 4, 8].includes(arr.itemSize)) throw badFile(file, `unsupported label dtype "${arr.descr}"`);
  const view = new DataView(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  const le = arr.littleEndian;
  const out = new Array<number>(flat[0]);
  for (let i = 0; i < flat[0]; i++) {
    const at = i * arr.itemSize;
    const signed = arr.kind === 'i';
    if (arr.itemSize === 1) out[i] = signed ? view.getInt8(at) : view.getUint8(at);
    else if (arr.itemSize === 2) out[i] = signed ? view.getInt16(at, le) : view.getUint16(at, le);
    else if (arr.itemSize === 4) out[i] = signed ? view.getInt32(at, le) : view.getUint32(at, le);
    else out[i] = Number(signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le));
  }
  return out;
}
