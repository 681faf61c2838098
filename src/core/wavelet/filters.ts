/**
 * Wavelet filter banks with PyWavelets' taps, ordering and normalisation.
 * Used by: the fast transform (dwt.ts), the reference transform (reference.ts) and the
 * region logic of core/language (support widths).
 */

export type WaveletName = 'haar' | 'bior4.4' | 'bior2.2';
export const WAVELET_NAMES: readonly WaveletName[] = ['haar', 'bior4.4', 'bior2.2'];

export interface WaveletFilters {
  readonly name: WaveletName;
  /** Analysis low-pass / high-pass and synthesis low-pass / high-pass, PyWavelets order. */
  readonly decLo: readonly number[];
  readonly decHi: readonly number[];
  readonly recLo: readonly number[];
  readonly recHi: readonly number[];
  /**
   * Half-length used to widen a coefficient's support (spec 7): the half-length of the
   * synthesis low-pass (0 for Haar, whose support is exact; 1 for the 3-tap of bior2.2; 3 for
   * the 7-tap of bior4.4). With the periodic alignment of dwt.ts, the synthesis response of
   * a level-j coefficient at r starts 2^j - 1 (bior2.2) or 3(2^j - 1) (bior4.4) before 2^j r
   * and ends at most 2^j or 3 * 2^j after 2^j (r + 1): inside the widened box. The region tests
   * check every coefficient's impulse response against it.
   */
  readonly halfLength: number;
}

const S = Math.SQRT1_2;

// bior2.2 (CDF 5/3) and bior4.4 (CDF 9/7) taps as PyWavelets 1.1 reports them.
const B22_A = 0.1767766952966369;
const B22_B = 0.3535533905932738;
const B22_C = 1.0606601717798212;
const B44_L = [0.03782845550726404, -0.023849465019556843, -0.11062440441843718, 0.37740285561283066, 0.8526986790088938];
const B44_H = [-0.06453888262869706, 0.04068941760916406, 0.41809227322161724, -0.7884856164055829];

const FILTERS: Record<WaveletName, WaveletFilters> = {
  haar: { name: 'haar', decLo: [S, S], decHi: [-S, S], recLo: [S, S], recHi: [S, -S], halfLength: 0 },
  'bior2.2': {
    name: 'bior2.2',
    decLo: [0, -B22_A, B22_B, B22_C, B22_B, -B22_A],
    decHi: [0, B22_B, -2 * B22_B, B22_B, 0, 0],
    recLo: [0, B22_B, 2 * B22_B, B22_B, 0, 0],
    recHi: [0, B22_A, B22_B, -B22_C, B22_B, B22_A],
    halfLength: 1,
  },
  'bior4.4': {
    name: 'bior4.4',
    decLo: [0, B44_L[0], B44_L[1], B44_L[2], B44_L[3], B44_L[4], B44_L[3], B44_L[2], B44_L[1], B44_L[0]],
    decHi: [0, B44_H[0], B44_H[1], B44_H[2], B44_H[3], B44_H[2], B44_H[1], B44_H[0], 0, 0],
    recLo: [0, B44_H[0], -B44_H[1], B44_H[2], -B44_H[3], B44_H[2], -B44_H[1], B44_H[0], 0, 0],
    recHi: [0, -B44_L[0], B44_L[1], -B44_L[2], B44_L[3], -B44_L[4], B44_L[3], -B44_L[2], B44_L[1], -B44_L[0]],
    halfLength: 3,
  },
};

/** The filter bank of a wavelet; throws RangeError for an unknown name. */
export function waveletFilters(name: WaveletName): WaveletFilters {
  const f = (FILTERS as Record<string, WaveletFilters | undefined>)[name];
  if (f === undefined) throw new RangeError(`unknown wavelet "${String(name)}" (known: ${WAVELET_NAMES.join(', ')})`);
  return f;
}
