/**
 * The fast periodic ("periodization") 2-D DWT on Float64Array in the Mallat layout of
 * PyWavelets' coeffs_to_array (spec 1.5): LL top-left, then per level top-right (ad),
 * bottom-left (da), bottom-right (dd). Used by core/language (encoder, decoder, previews)
 * and the renderer. Checked against reference.ts and PyWavelets fixtures.
 *
 * Speed: per (wavelet, line length) a plan holds the periodic source indices and the taps of
 * every output sample (zero taps trimmed), so the inner loops are index lookups and
 * multiply-adds with no modulo and no allocation per row or column.
 */
import { waveletFilters, type WaveletName } from './filters';

interface LinePlan {
  n: number;
  /** Analysis: for output o, taps t: source index aIdx[o * aTaps + t], weights aLo/aHi[t]. */
  aTaps: number;
  aIdx: Int32Array;
  aLo: Float64Array;
  aHi: Float64Array;
  /** Synthesis (gather): for output x, pairs t: subband index sIdx, weights sLo/sHi. */
  sTaps: number;
  sIdx: Int32Array;
  sLo: Float64Array;
  sHi: Float64Array;
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;
const planCache = new Map<string, LinePlan>();

function nonzeroRange(...banks: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of banks) b.forEach((v, i) => { if (v !== 0) { lo = Math.min(lo, i); hi = Math.max(hi, i); } });
  return [lo, hi];
}

function buildPlan(wavelet: WaveletName, n: number): LinePlan {
  const f = waveletFilters(wavelet);
  const F = f.decLo.length;
  const c = F / 2;
  const half = n / 2;
  // 1. analysis: y[o] = sum_j h[j] x[(c + 2o - j) mod n], only over non-zero taps
  const [ja, jb] = nonzeroRange(f.decLo, f.decHi);
  const aTaps = jb - ja + 1;
  const aIdx = new Int32Array(half * aTaps);
  for (let o = 0; o < half; o++) for (let t = 0; t < aTaps; t++) aIdx[o * aTaps + t] = mod(c + 2 * o - (ja + t), n);
  const aLo = Float64Array.from(f.decLo.slice(ja, jb + 1));
  const aHi = Float64Array.from(f.decHi.slice(ja, jb + 1));
  // 2. synthesis as a gather: x[i] = sum over taps k with i = 2o + k + shift (mod n)
  const shift = c + 1 - F;
  const sTaps = Math.ceil(F / 2);
  const sIdx = new Int32Array(n * sTaps);
  const sLo = new Float64Array(n * sTaps);
  const sHi = new Float64Array(n * sTaps);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = 0; k < F; k++) {
      if (mod(i - shift - k, 2) !== 0) continue;
      sIdx[i * sTaps + t] = mod((i - shift - k) / 2, half);
      sLo[i * sTaps + t] = f.recLo[k];
      sHi[i * sTaps + t] = f.recHi[k];
      t++;
    }
  }
  return { n, aTaps, aIdx, aLo, aHi, sTaps, sIdx, sLo, sHi };
}

function linePlan(wavelet: WaveletName, n: number): LinePlan {
  const key = `${wavelet}:${n}`;
  let plan = planCache.get(key);
  if (plan === undefined) {
    plan = buildPlan(wavelet, n);
    planCache.set(key, plan);
  }
  return plan;
}

/** Analyses n samples of `a` (start, stride) in place: low half then high half. */
function analyzeLine(a: Float64Array, start: number, stride: number, p: LinePlan, line: Float64Array): void {
  const n = p.n;
  for (let i = 0; i < n; i++) line[i] = a[start + i * stride];
  const half = n >> 1;
  const T = p.aTaps;
  for (let o = 0; o < half; o++) {
    let lo = 0;
    let hi = 0;
    const base = o * T;
    for (let t = 0; t < T; t++) {
      const x = line[p.aIdx[base + t]];
      lo += p.aLo[t] * x;
      hi += p.aHi[t] * x;
    }
    a[start + o * stride] = lo;
    a[start + (half + o) * stride] = hi;
  }
}

/** Synthesises n samples of `a` (start, stride) in place from its low and high halves. */
function synthesizeLine(a: Float64Array, start: number, stride: number, p: LinePlan, line: Float64Array): void {
  const n = p.n;
  const half = n >> 1;
  for (let i = 0; i < n; i++) line[i] = a[start + i * stride];
  const T = p.sTaps;
  for (let i = 0; i < n; i++) {
    let x = 0;
    const base = i * T;
    for (let t = 0; t < T; t++) {
      const o = p.sIdx[base + t];
      x += p.sLo[base + t] * line[o] + p.sHi[base + t] * line[half + o];
    }
    a[start + i * stride] = x;
  }
}

export function log2Size(size: number): number {
  const m = Math.round(Math.log2(size));
  if (!Number.isInteger(size) || size < 2 || 2 ** m !== size || size > 4096) {
    throw new RangeError(`transform size must be a power of two in 2..4096, got ${size}`);
  }
  return m;
}

function checkArgs(data: Float64Array, size: number, levels: number): number {
  const m = log2Size(size);
  if (data.length !== size * size) throw new RangeError(`expected ${size}x${size} = ${size * size} values, got ${data.length}`);
  if (!Number.isInteger(levels) || levels < 0 || levels > m) throw new RangeError(`levels must be an integer in 0..${m}, got ${levels}`);
  return m;
}

/**
 * Multi-level periodic 2-D analysis. `square` [size * size] row-major; returns a new Mallat
 * array [size * size]. Default levels = m - 1 (a 2 x 2 LL remains, spec 1.3).
 */
export function forwardDwt2(square: Float64Array, size: number, wavelet: WaveletName, levels?: number): Float64Array {
  const m = checkArgs(square, size, levels ?? log2Size(size) - 1);
  const L = levels ?? m - 1;
  const a = Float64Array.from(square);
  const line = new Float64Array(size);
  for (let l = 0; l < L; l++) {
    const s = size >> l;
    const p = linePlan(wavelet, s);
    for (let r = 0; r < s; r++) analyzeLine(a, r * size, 1, p, line);
    for (let q = 0; q < s; q++) analyzeLine(a, q, size, p, line);
  }
  return a;
}

/** Multi-level periodic 2-D synthesis of a Mallat array [size * size]; returns a new square. */
export function inverseDwt2(mallat: Float64Array, size: number, wavelet: WaveletName, levels?: number): Float64Array {
  const m = checkArgs(mallat, size, levels ?? log2Size(size) - 1);
  const L = levels ?? m - 1;
  const a = Float64Array.from(mallat);
  const line = new Float64Array(size);
  for (let l = L - 1; l >= 0; l--) {
    const s = size >> l;
    const p = linePlan(wavelet, s);
    for (let q = 0; q < s; q++) synthesizeLine(a, q, size, p, line);
    for (let r = 0; r < s; r++) synthesizeLine(a, r * size, 1, p, line);
  }
  return a;
}

/** Single-level analysis: LL, ad, da, dd quadrants of a size x size square. */
export function dwt2Level(square: Float64Array, size: number, wavelet: WaveletName): Float64Array {
  return forwardDwt2(square, size, wavelet, 1);
}

/** Single-level synthesis, inverse of dwt2Level. */
export function idwt2Level(quadrants: Float64Array, size: number, wavelet: WaveletName): Float64Array {
  return inverseDwt2(quadrants, size, wavelet, 1);
}
