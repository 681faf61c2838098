/**
 * The encoder: image -> padded square -> DWT -> sentence. It drives the shared walker and
 * answers each slot from the true coefficients (block / group / subtree maxima, interval
 * midpoints), so encoder and decoder cannot disagree on the geometry.
 * Used by: node (token cache), CLI tokenize, renderer (encode a drawn image), tests.
 */
import { forwardDwt2 } from '../wavelet/dwt';
import { assertTokenizerConfig } from './config';
import { geometryFor, type ScanTables } from './geometry';
import { checkedPlaneCount, createWalker } from './stepper';
import { tokenAtThreshold } from './state';
import { SLOT, TOKEN, type EncodedImage, type Geometry, type TokenizerConfig } from './types';
import { BlockWalker } from './walker';
import { ZERO_TREE, type ZeroTreeWalker } from './zerotree';

/** T0 = 2^floor(log2 max|a|), never below Tf (spec 2); exact at powers of two. */
export function startExponentOf(coefficients: Float64Array, config: TokenizerConfig): number {
  let max = 0;
  for (let i = 0; i < coefficients.length; i++) {
    const v = Math.abs(coefficients[i]);
    if (v > max) max = v;
    else if (Number.isNaN(v)) throw new RangeError(`coefficient ${i} is NaN`);
  }
  if (!Number.isFinite(max)) throw new RangeError('coefficients must be finite');
  if (max === 0) return config.finalExponent;
  let e = Math.floor(Math.log2(max));
  while (2 ** e > max) e--;
  while (2 ** (e + 1) <= max) e++;
  return Math.max(e, config.finalExponent);
}

/** Bytes [height * width] -> padded square [size * size] in [0, 1]. */
export function pixelsToSquare(pixels: ArrayLike<number>, geometry: Geometry): Float64Array {
  const { width, height, size, top, left } = geometry;
  if (pixels.length !== width * height) throw new RangeError(`expected ${width}x${height} = ${width * height} pixels, got ${pixels.length}`);
  const square = new Float64Array(size * size);
  for (let y = 0; y < height; y++) {
    const row = (y + top) * size + left;
    for (let x = 0; x < width; x++) square[row + x] = pixels[y * width + x] / 255;
  }
  return square;
}

/** Max |a| per block and per group (b * 4 + g), for the Group4x4 / Group2x2 decisions. */
function blockMaxima(abs: Float64Array, t: ScanTables, block: Float64Array, group: Float64Array): void {
  block.fill(0);
  group.fill(0);
  for (let b = 0; b < t.blockCount; b++) {
    for (let c = 0; c < 16; c++) {
      const v = abs[t.blockOrigin[b] + t.cellOffset[c]];
      const gi = b * 4 + (c >> 2);
      if (v > group[gi]) group[gi] = v;
      if (v > block[b]) block[b] = v;
    }
  }
}

/** Max |a| over the strict descendants of every coefficient (zero-tree decisions). */
function descendantMaxima(abs: Float64Array, t: ScanTables, out: Float64Array): void {
  out.fill(0);
  for (let n = t.order.length - 1; n >= 0; n--) {
    const i = t.order[n];
    const p = t.parent[i];
    if (p >= 0) out[p] = Math.max(out[p], abs[i], out[i]);
  }
}

// Coefficient slots use tokenAtThreshold on the true value: a coefficient not yet
// significant has |a| < 2T (T0 covers max |a|), and a refinement slot's interval is
// [floor(|a|/2T)*2T, +2T), so the magnitude rule agrees with the walker's slot kind and
// picks the interval's half by itself.
function encodeBlocks(a: Float64Array, ws: Workspace, w: BlockWalker): number {
  const { abs, out, block, group } = ws;
  blockMaxima(abs, w.tables, block, group);
  let n = 0;
  while (w.kind >= 0) {
    let token: number;
    const T = w.threshold;
    if (w.kind === SLOT.Block && block[w.block] < T) token = TOKEN.Group4x4;
    else if ((w.kind === SLOT.Block || w.kind === SLOT.Group) && group[w.block * 4 + w.group] < T) token = TOKEN.Group2x2;
    else {
      const i = w.kind === SLOT.Block || w.kind === SLOT.Group ? w.cellIndex(w.group, 0) : w.cellIndex(w.group, w.cell);
      token = tokenAtThreshold(abs[i], a[i] < 0, T);
    }
    out[n++] = token;
    w.apply(token);
  }
  return n;
}

function encodeZeroTree(a: Float64Array, ws: Workspace, w: ZeroTreeWalker): number {
  const { abs, out, desc } = ws;
  descendantMaxima(abs, w.tables, desc);
  let n = 0;
  while (w.kind >= 0) {
    const i = w.tables.order[w.cursor];
    const T = w.threshold;
    const token = w.kind === SLOT.Tree && abs[i] < T && desc[i] < T ? ZERO_TREE : tokenAtThreshold(abs[i], a[i] < 0, T);
    out[n++] = token;
    w.apply(token);
  }
  return n;
}

/**
 * Reusable work arrays per (size, variant): encoding thousands of small images is dominated
 * by allocation otherwise. Safe because encoding is synchronous and never re-entrant.
 */
interface Workspace {
  walker: BlockWalker | ZeroTreeWalker;
  abs: Float64Array;
  out: Uint8Array;
  /** Max |a| per block, per group (b * 4 + g), over the strict descendants. */
  block: Float64Array;
  group: Float64Array;
  desc: Float64Array;
}
const workspaces = new Map<string, Workspace>();

function workspace(startExponent: number, geometry: Geometry, config: TokenizerConfig): Workspace {
  const key = `${geometry.size}:${config.variant}`;
  let ws = workspaces.get(key);
  const N = geometry.size * geometry.size;
  if (ws === undefined) {
    const walker = createWalker(startExponent, geometry, config);
    const blocks = walker.tables.blockCount;
    ws = { walker, abs: new Float64Array(N), out: new Uint8Array(N * 8), block: new Float64Array(blocks), group: new Float64Array(blocks * 4), desc: new Float64Array(N) };
    workspaces.set(key, ws);
  } else {
    ws.walker.reset(startExponent, checkedPlaneCount(startExponent, geometry, config));
  }
  // every plane has at most one token per coefficient
  if (ws.out.length < ws.walker.planes * N) ws.out = new Uint8Array(ws.walker.planes * N);
  return ws;
}

/** Codes a Mallat array [size * size] (size from the geometry) into a sentence. */
export function encodeCoefficients(coefficients: Float64Array, geometry: Geometry, config: TokenizerConfig): EncodedImage {
  assertTokenizerConfig(config);
  const N = geometry.size * geometry.size;
  if (coefficients.length !== N) throw new RangeError(`expected ${N} coefficients, got ${coefficients.length}`);
  const startExponent = startExponentOf(coefficients, config);
  const ws = workspace(startExponent, geometry, config);
  for (let i = 0; i < N; i++) ws.abs[i] = Math.abs(coefficients[i]);
  const w = ws.walker;
  const n = w instanceof BlockWalker ? encodeBlocks(coefficients, ws, w) : encodeZeroTree(coefficients, ws, w);
  return { tokens: ws.out.slice(0, n), startExponent, geometry };
}

/** Encodes an 8-bit grayscale image [height * width], row-major. */
export function encodeImage(pixels: Uint8Array, width: number, height: number, config: TokenizerConfig): EncodedImage {
  const geometry = geometryFor(width, height);
  const coefficients = forwardDwt2(pixelsToSquare(pixels, geometry), geometry.size, config.wavelet);
  return encodeCoefficients(coefficients, geometry, config);
}
