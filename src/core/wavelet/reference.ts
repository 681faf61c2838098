/**
 * The slow, obviously-correct reference transform: single-level periodic 2-D analysis as a
 * direct double sum from the definition, synthesis as a scatter of every coefficient's
 * filter taps. Used only by tests, to check the fast path (dwt.ts) against it.
 *
 * Definitions (N even, filter length F, c = F / 2, all indices modulo N):
 *   analysis   y[o] = sum_j h[j] x[c + 2o - j]
 *   synthesis  x[2o + k + c + 1 - F] += g[k] y[o]   (for every o and tap k)
 */
import { waveletFilters, type WaveletName } from './filters';

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** One analysis level of the top-left s x s corner of an M-wide Mallat array, in a copy. */
function referenceForwardLevel(src: Float64Array, size: number, s: number, wavelet: WaveletName): Float64Array {
  const { decLo, decHi } = waveletFilters(wavelet);
  const F = decLo.length;
  const c = F / 2;
  const h = s / 2;
  const out = Float64Array.from(src);
  const banks = [decLo, decHi];
  for (let vb = 0; vb < 2; vb++) {
    for (let hb = 0; hb < 2; hb++) {
      for (let o1 = 0; o1 < h; o1++) {
        for (let o2 = 0; o2 < h; o2++) {
          let sum = 0;
          for (let j1 = 0; j1 < F; j1++) {
            for (let j2 = 0; j2 < F; j2++) {
              const x = src[mod(c + 2 * o1 - j1, s) * size + mod(c + 2 * o2 - j2, s)];
              sum += banks[vb][j1] * banks[hb][j2] * x;
            }
          }
          out[(vb * h + o1) * size + hb * h + o2] = sum;
        }
      }
    }
  }
  return out;
}

/** One synthesis level: rebuilds the top-left s x s corner from its four s/2 subbands. */
function referenceInverseLevel(src: Float64Array, size: number, s: number, wavelet: WaveletName): Float64Array {
  const { recLo, recHi } = waveletFilters(wavelet);
  const F = recLo.length;
  const shift = F / 2 + 1 - F;
  const h = s / 2;
  const out = Float64Array.from(src);
  for (let r = 0; r < s; r++) for (let q = 0; q < s; q++) out[r * size + q] = 0;
  const banks = [recLo, recHi];
  for (let vb = 0; vb < 2; vb++) {
    for (let hb = 0; hb < 2; hb++) {
      for (let o1 = 0; o1 < h; o1++) {
        for (let o2 = 0; o2 < h; o2++) {
          const y = src[(vb * h + o1) * size + hb * h + o2];
          for (let k1 = 0; k1 < F; k1++) {
            for (let k2 = 0; k2 < F; k2++) {
              const r = mod(2 * o1 + k1 + shift, s);
              const q = mod(2 * o2 + k2 + shift, s);
              out[r * size + q] += banks[vb][k1] * banks[hb][k2] * y;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Multi-level reference analysis of a size x size square into the Mallat layout. */
export function referenceForwardDwt2(square: Float64Array, size: number, wavelet: WaveletName, levels: number): Float64Array {
  let a: Float64Array = Float64Array.from(square);
  for (let l = 0; l < levels; l++) a = referenceForwardLevel(a, size, size >> l, wavelet);
  return a;
}

/** Multi-level reference synthesis of a Mallat array back to the square. */
export function referenceInverseDwt2(mallat: Float64Array, size: number, wavelet: WaveletName, levels: number): Float64Array {
  let a: Float64Array = Float64Array.from(mallat);
  for (let l = levels - 1; l >= 0; l--) a = referenceInverseLevel(a, size, size >> l, wavelet);
  return a;
}
