/**
 * The encoder: image -> padded square -> DWT -> sentence. It drives the shared walker and
 * answers each slot from the true coefficients (block / group / subtree maxima, interval
 * midpoints), so encoder and decoder cannot disagree on the geometry.
 * Used by: node (token cache), CLI tokenize, renderer (encode a drawn image), tests.
 */
import { forwardDwt2 } from '../wavelet/dwt';
import { assertTokenizerConfig } from './config';
import { geometryFor, type ScanTables } from './geometry';
import { createWalker } from './stepper';
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
function blockMaxima(abs: Float64Array, t: ScanTables): { block: Float64Array; group: Float64Array } {
  const block = new Float64Array(t.blockCount);
  const group = new Float64Array(t.blockCount * 4);
  for (let b = 0; b < t.blockCount; b++) {
    for (let c = 0; c < 16; c++) {
      const v = abs[t.blockOrigin[b] + t.cellOffset[c]];
      const gi = b * 4 + (c >> 2);
      if (v > group[gi]) group[gi] = v;
      if (v > block[b]) block[b] = v;
    }
  }
  return { block, group };
}

/** Max |a| over the strict descendants of every coefficient (zero-tree decisions). */
function descendantMaxima(abs: Float64Array, t: ScanTables): Float64Array {
  const out = new Float64Array(abs.length);
  for (let n = t.order.length - 1; n >= 0; n--) {
    const i = t.order[n];
    const p = t.parent[i];
    if (p >= 0) out[p] = Math.max(out[p], abs[i], out[i]);
  }
  return out;
}

function cellToken(a: number, absA: number, w: BlockWalker | ZeroTreeWalker, i: number): number {
  if (w.kind === SLOT.Refinement) return absA >= w.lo[i] + w.width[i] / 2 ? TOKEN.NextAccuracy1 : TOKEN.NextAccuracy0;
  if (absA >= w.threshold) return a > 0 ? TOKEN.NowSignificantPos : TOKEN.NowSignificantNeg;
  return TOKEN.Insignificant;
}

function encodeBlocks(a: Float64Array, abs: Float64Array, w: BlockWalker, out: Uint8Array): number {
  const { block, group } = blockMaxima(abs, w.tables);
  let n = 0;
  while (w.kind >= 0) {
    let token: number;
    const T = w.threshold;
    if (w.kind === SLOT.Block && block[w.block] < T) token = TOKEN.Group4x4;
    else if ((w.kind === SLOT.Block || w.kind === SLOT.Group) && group[w.block * 4 + w.group] < T) token = TOKEN.Group2x2;
    else {
      const i = w.kind === SLOT.Block || w.kind === SLOT.Group ? w.cellIndex(w.group, 0) : w.cellIndex(w.group, w.cell);
      token = cellToken(a[i], abs[i], w, i);
    }
    out[n++] = token;
    w.push(token);
  }
  return n;
}

function encodeZeroTree(a: Float64Array, abs: Float64Array, w: ZeroTreeWalker, out: Uint8Array): number {
  const desc = descendantMaxima(abs, w.tables);
  let n = 0;
  while (w.kind >= 0) {
    const i = w.tables.order[w.cursor];
    const T = w.threshold;
    const token = w.kind === SLOT.Tree && abs[i] < T && desc[i] < T ? ZERO_TREE : cellToken(a[i], abs[i], w, i);
    out[n++] = token;
    w.push(token);
  }
  return n;
}

/** Codes a Mallat array [size * size] (size from the geometry) into a sentence. */
export function encodeCoefficients(coefficients: Float64Array, geometry: Geometry, config: TokenizerConfig): EncodedImage {
  assertTokenizerConfig(config);
  const N = geometry.size * geometry.size;
  if (coefficients.length !== N) throw new RangeError(`expected ${N} coefficients, got ${coefficients.length}`);
  const startExponent = startExponentOf(coefficients, config);
  const w = createWalker(startExponent, geometry, config);
  const abs = new Float64Array(N);
  for (let i = 0; i < N; i++) abs[i] = Math.abs(coefficients[i]);
  // every plane has at most one token per coefficient
  const out = new Uint8Array(w.planes * N);
  const n = w instanceof BlockWalker ? encodeBlocks(coefficients, abs, w, out) : encodeZeroTree(coefficients, abs, w, out);
  return { tokens: out.slice(0, n), startExponent, geometry };
}

/** Encodes an 8-bit grayscale image [height * width], row-major. */
export function encodeImage(pixels: Uint8Array, width: number, height: number, config: TokenizerConfig): EncodedImage {
  const geometry = geometryFor(width, height);
  const coefficients = forwardDwt2(pixelsToSquare(pixels, geometry), geometry.size, config.wavelet);
  return encodeCoefficients(coefficients, geometry, config);
}
