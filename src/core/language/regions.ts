/**
 * Regions (spec 7): which coefficients a pixel mask owns ("touching" or "contained") and
 * the footprint of a set of coefficients (the pixels they can change). Supports are periodic
 * (the transform wraps), computed in the padded square and cropped.
 * Used by: region-stepper.ts, core/sample (region regeneration), the renderer (overlays).
 */
import { waveletFilters, type WaveletName } from '../wavelet/filters';
import { assertGeometry, scanTables } from './geometry';
import { SUBBAND, type Geometry } from './types';

/** Up to two [start, end) ranges covering [a, b) modulo M (the whole axis when b - a >= M). */
function wrapRanges(a: number, b: number, M: number, out: number[]): number {
  if (b - a >= M) {
    out[0] = 0;
    out[1] = M;
    return 1;
  }
  const s = ((a % M) + M) % M;
  const e = s + (b - a);
  out[0] = s;
  out[1] = Math.min(e, M);
  if (e <= M) return 1;
  out[2] = 0;
  out[3] = e - M;
  return 2;
}

/** Support [r0, r1) x [c0, c1) of coefficient i in the padded square (may exceed 0..M). */
function supportOf(i: number, M: number, m: number, halfLength: number, level: Int8Array, subband: Int8Array): [number, number, number, number] {
  const j = level[i] === 0 ? m - 1 : level[i];
  const s = M >> j;
  let r = Math.floor(i / M);
  let c = i % M;
  if (subband[i] === SUBBAND.BL || subband[i] === SUBBAND.BR) r -= s;
  if (subband[i] === SUBBAND.TR || subband[i] === SUBBAND.BR) c -= s;
  const scale = 2 ** j;
  const widen = halfLength * scale;
  return [r * scale - widen, (r + 1) * scale + widen, c * scale - widen, (c + 1) * scale + widen];
}

function checkMask(mask: Uint8Array, width: number, height: number, geometry: Geometry): void {
  assertGeometry(geometry);
  if (width !== geometry.width || height !== geometry.height) throw new RangeError(`mask ${width}x${height} does not match the image ${geometry.width}x${geometry.height}`);
  if (mask.length !== width * height) throw new RangeError(`mask needs ${width * height} entries, got ${mask.length}`);
}

/**
 * The coefficients a pixel mask [height * width] owns: 1 in a Mallat-layout array
 * [size * size]. "touching": the support meets the mask; "contained": it lies inside.
 */
export function regionCoefficients(
  mask: Uint8Array,
  width: number,
  height: number,
  geometry: Geometry,
  wavelet: WaveletName,
  selection: 'touching' | 'contained',
): Uint8Array {
  checkMask(mask, width, height, geometry);
  if (selection !== 'touching' && selection !== 'contained') throw new RangeError(`selection must be touching or contained, got ${String(selection)}`);
  const { size: M, top, left } = geometry;
  const { m, level, subband } = scanTables(M);
  // integral image of the mask placed in the padded square
  const W = M + 1;
  const integral = new Int32Array(W * W);
  for (let y = 0; y < M; y++) {
    let run = 0;
    for (let x = 0; x < M; x++) {
      const iy = y - top;
      const ix = x - left;
      if (iy >= 0 && iy < height && ix >= 0 && ix < width && mask[iy * width + ix] !== 0) run++;
      integral[(y + 1) * W + x + 1] = integral[y * W + x + 1] + run;
    }
  }
  const rowR = [0, 0, 0, 0];
  const colR = [0, 0, 0, 0];
  const halfLength = waveletFilters(wavelet).halfLength;
  const owned = new Uint8Array(M * M);
  for (let i = 0; i < M * M; i++) {
    const [r0, r1, c0, c1] = supportOf(i, M, m, halfLength, level, subband);
    const nr = wrapRanges(r0, r1, M, rowR);
    const nc = wrapRanges(c0, c1, M, colR);
    let count = 0;
    let area = 0;
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < nc; b++) {
        const [ya, yb, xa, xb] = [rowR[2 * a], rowR[2 * a + 1], colR[2 * b], colR[2 * b + 1]];
        count += integral[yb * W + xb] - integral[ya * W + xb] - integral[yb * W + xa] + integral[ya * W + xa];
        area += (yb - ya) * (xb - xa);
      }
    }
    owned[i] = selection === 'touching' ? (count > 0 ? 1 : 0) : count === area ? 1 : 0;
  }
  return owned;
}

/** Pixels [height * width] that the owned coefficients [size * size] can change (1 = may change). */
export function regionFootprint(owned: Uint8Array, geometry: Geometry, wavelet: WaveletName): Uint8Array {
  assertGeometry(geometry);
  const { width, height, size: M, top, left } = geometry;
  if (owned.length !== M * M) throw new RangeError(`owned needs ${M * M} entries, got ${owned.length}`);
  const { m, level, subband } = scanTables(M);
  const halfLength = waveletFilters(wavelet).halfLength;
  const W = M + 1;
  const diff = new Int32Array(W * W);
  const rowR = [0, 0, 0, 0];
  const colR = [0, 0, 0, 0];
  for (let i = 0; i < M * M; i++) {
    if (owned[i] === 0) continue;
    const [r0, r1, c0, c1] = supportOf(i, M, m, halfLength, level, subband);
    const nr = wrapRanges(r0, r1, M, rowR);
    const nc = wrapRanges(c0, c1, M, colR);
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < nc; b++) {
        const [ya, yb, xa, xb] = [rowR[2 * a], rowR[2 * a + 1], colR[2 * b], colR[2 * b + 1]];
        diff[ya * W + xa]++;
        diff[ya * W + xb]--;
        diff[yb * W + xa]--;
        diff[yb * W + xb]++;
      }
    }
  }
  // 2-D prefix sums turn the corner marks into rectangle counts
  for (let y = 0; y < M; y++) for (let x = 1; x < M; x++) diff[y * W + x] += diff[y * W + x - 1];
  for (let y = 1; y < M; y++) for (let x = 0; x < M; x++) diff[y * W + x] += diff[(y - 1) * W + x];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = diff[(y + top) * W + x + left] > 0 ? 1 : 0;
  return out;
}
