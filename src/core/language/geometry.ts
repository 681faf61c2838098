/**
 * Geometry of the wavelet language: where an image sits in its padded square, and the scan
 * tables every coder pass shares (spec 3): block order, group and coefficient offsets, the
 * level and subband of every coefficient, the zero-tree parent of every coefficient.
 * Used by: the walkers (walker.ts, zerotree.ts), the encoder, regions, trace.
 */
import { nextPowerOfTwo, padOffsets } from '../wavelet/pad';
import { SUBBAND, type Geometry } from './types';

export const MIN_SIZE = 8;
export const MAX_SIZE = 256;

/**
 * The geometry of an H x W image: M = smallest power of two >= max(H, W) (at least 8, the
 * smallest square the block scan supports), image centred, odd extra pixel bottom / right.
 */
export function geometryFor(width: number, height: number): Geometry {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  const size = Math.max(MIN_SIZE, nextPowerOfTwo(Math.max(width, height)));
  if (size > MAX_SIZE) throw new RangeError(`images up to ${MAX_SIZE}x${MAX_SIZE} are supported, got ${width}x${height}`);
  return { width, height, size, ...padOffsets(width, height, size) };
}

/** Throws RangeError unless `g` is exactly what geometryFor(g.width, g.height) gives. */
export function assertGeometry(g: Geometry): void {
  const want = geometryFor(g.width, g.height);
  if (want.size !== g.size || want.top !== g.top || want.left !== g.left) {
    throw new RangeError(`inconsistent geometry ${JSON.stringify(g)}: expected ${JSON.stringify(want)}`);
  }
}

/** Scan tables of one square size; immutable, cached per size. */
export interface ScanTables {
  readonly size: number;
  /** m = log2(size); detail levels are 1..m-1. */
  readonly m: number;
  readonly blockCount: number;
  /** Flat index (row * size + col) of the top-left coefficient of block b, in scan order. */
  readonly blockOrigin: Int32Array;
  /** Flat offsets of the 16 coefficients of a block, in visit order (group g, then k). */
  readonly cellOffset: Int32Array;
  /** Flat index of every coefficient in scan order (blocks, groups, coefficients). */
  readonly order: Int32Array;
  /** Level (0 for LL, 1 finest .. m-1 coarsest) and subband of every flat index. */
  readonly level: Int8Array;
  readonly subband: Int8Array;
  /** Zero-tree parent of every flat index, -1 for LL (spec: EZW's LL -> coarsest details). */
  readonly parent: Int32Array;
  /** 1 where a coefficient has zero-tree children (every one but the finest level). */
  readonly hasChildren: Uint8Array;
}

const tableCache = new Map<number, ScanTables>();

function blockOrigins(M: number): Int32Array {
  const origins: number[] = [0];
  for (let s = 4; s < M; s *= 2) {
    for (const [r0, c0] of [[0, s], [s, 0], [s, s]]) {
      for (let br = 0; br < s; br += 4) for (let bc = 0; bc < s; bc += 4) origins.push((r0 + br) * M + c0 + bc);
    }
  }
  return Int32Array.from(origins);
}

function levelAndSubband(r: number, c: number, m: number): [number, number] {
  if (r < 2 && c < 2) return [0, SUBBAND.LL];
  const v = Math.max(r, c);
  const s = 2 ** Math.floor(Math.log2(v));
  const level = m - Math.log2(s);
  const subband = r < s ? SUBBAND.TR : c < s ? SUBBAND.BL : SUBBAND.BR;
  return [level, subband];
}

function buildTables(M: number): ScanTables {
  const m = Math.round(Math.log2(M));
  const blockOrigin = blockOrigins(M);
  const cellOffset = new Int32Array(16);
  const groupCorner = [[0, 0], [0, 2], [2, 0], [2, 2]];
  for (let g = 0; g < 4; g++) {
    for (let k = 0; k < 4; k++) cellOffset[g * 4 + k] = (groupCorner[g][0] + (k >> 1)) * M + groupCorner[g][1] + (k & 1);
  }
  const N = M * M;
  const order = new Int32Array(N);
  for (let b = 0; b < blockOrigin.length; b++) for (let t = 0; t < 16; t++) order[b * 16 + t] = blockOrigin[b] + cellOffset[t];
  const level = new Int8Array(N);
  const subband = new Int8Array(N);
  const parent = new Int32Array(N);
  const hasChildren = new Uint8Array(N);
  for (let r = 0; r < M; r++) {
    for (let c = 0; c < M; c++) {
      const i = r * M + c;
      [level[i], subband[i]] = levelAndSubband(r, c, m);
      if (r < 2 && c < 2) parent[i] = -1;
      else if (r < 4 && c < 4) parent[i] = (r & 1) * M + (c & 1);
      else parent[i] = (r >> 1) * M + (c >> 1);
      hasChildren[i] = Math.max(r, c) < M / 2 ? 1 : 0;
    }
  }
  return { size: M, m, blockCount: blockOrigin.length, blockOrigin, cellOffset, order, level, subband, parent, hasChildren };
}

/** The (cached) scan tables of a square of `size` (a power of two, 8..256). */
export function scanTables(size: number): ScanTables {
  let t = tableCache.get(size);
  if (t === undefined) {
    if (!Number.isInteger(Math.log2(size)) || size < MIN_SIZE || size > MAX_SIZE) {
      throw new RangeError(`square size must be a power of two in ${MIN_SIZE}..${MAX_SIZE}, got ${size}`);
    }
    t = buildTables(size);
    tableCache.set(size, t);
  }
  return t;
}
