/**
 * Reading input files for imports: clear NOT_FOUND / BAD_FILE errors for missing, empty,
 * unreadable or corrupt gzip files, and transparent gunzip (by magic bytes, not by name).
 * Used by: node/datasets/idx.ts, npy.ts, import-*.ts.
 */
import { promises as fs } from 'node:fs';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { StudioError } from '../../shared/result';
import { badFile, messageOf } from './errors';

const gunzipAsync = promisify(gunzip);

/** Largest single input file we read into memory (a 256x256 dataset of 30k images). */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;

/** Reads a whole file; missing -> NOT_FOUND, empty / folder / unreadable -> BAD_FILE. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('NOT_FOUND', `${path}: no such file`);
    throw badFile(path, `cannot be read (${messageOf(e)})`);
  }
  if (stat.isDirectory()) throw badFile(path, 'is a folder, a file was expected');
  if (stat.size === 0) throw badFile(path, 'the file is empty (0 bytes)');
  if (stat.size > MAX_INPUT_BYTES) throw badFile(path, `is ${stat.size} bytes; files over 2 GiB are not supported`);
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw badFile(path, `cannot be read (${messageOf(e)})`);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a file and gunzips it when it starts with the gzip magic. */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  const raw = await readInputFile(path);
  if (!isGzip(raw)) return raw;
  let out: Buffer;
  try {
    out = await gunzipAsync(raw, { maxOutputLength: MAX_INPUT_BYTES });
  } catch (e) {
    throw badFile(path, `corrupt or truncated gzip data (${messageOf(e)})`);
  }
  if (out.length === 0) throw badFile(path, 'the gzip stream holds no data (0 bytes)');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
