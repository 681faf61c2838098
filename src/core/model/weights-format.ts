/**
 * Named float32 tensors <-> the TensorFlow.js weights layout: a manifest
 * (`[{ paths: ['<file>.bin'], weights: [{ name, shape, dtype }] }]`) plus one binary file
 * holding every tensor's little-endian float32 data back to back, in manifest order.
 * A checksum of the binary is kept beside the manifest so a torn write is detected.
 * Used by: node/runs (checkpoints), core/model (load/save of a Gpt), models export.
 */

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export type WeightsManifest = { paths: string[]; weights: WeightsManifestEntry[] }[];

export interface EncodedWeights {
  manifest: WeightsManifest;
  bin: Uint8Array;
  checksum: string;
}

/** FNV-1a over the bytes, as 8 hex digits: cheap torn-write detection, not security. */
export function checksumBytes(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function encodeWeights(arrays: readonly NamedArray[], binName: string): EncodedWeights {
  const total = arrays.reduce((n, a) => n + a.data.length, 0);
  const floats = new Float32Array(total);
  let offset = 0;
  const weights: WeightsManifestEntry[] = [];
  for (const a of arrays) {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length) throw new Error(`weight "${a.name}": shape [${a.shape}] holds ${size} values, data has ${a.data.length}`);
    floats.set(a.data, offset);
    offset += size;
    weights.push({ name: a.name, shape: [...a.shape], dtype: 'float32' });
  }
  const bin = new Uint8Array(floats.buffer);
  return { manifest: [{ paths: [binName], weights }], bin, checksum: checksumBytes(bin) };
}

/** Splits the binary back into named arrays; throws a clear Error on any mismatch. */
export function decodeWeights(manifest: WeightsManifest, bin: Uint8Array, checksum?: string): NamedArray[] {
  if (!Array.isArray(manifest)) throw new Error('weights manifest is not a list');
  if (checksum !== undefined && checksumBytes(bin) !== checksum) throw new Error('weights file checksum mismatch (torn or corrupt write)');
  if (bin.byteLength % 4 !== 0) throw new Error(`weights file has ${bin.byteLength} bytes, not a multiple of 4`);
  const aligned = bin.byteOffset % 4 === 0 ? bin : bin.slice();
  const floats = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const out: NamedArray[] = [];
  let offset = 0;
  for (const group of manifest) {
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`weight "${w.name}" has dtype ${w.dtype}; only float32 is supported`);
      const size = w.shape.reduce((x, y) => x * y, 1);
      if (offset + size > floats.length) throw new Error(`weights file too short at "${w.name}" (needs ${(offset + size) * 4} bytes, has ${bin.byteLength})`);
      out.push({ name: w.name, shape: [...w.shape], data: floats.slice(offset, offset + size) });
      offset += size;
    }
  }
  if (offset !== floats.length) throw new Error(`weights file has ${floats.length - offset} extra values after the manifest's tensors`);
  return out;
}
