/**
 * Colour maps for the coefficient mosaic: a diverging map (negative blue, zero neutral,
 * positive orange) with per-level normalisation, so fine levels stay visible next to LL.
 * Used by: components/MosaicCanvas.vue; tested in lib.test.ts.
 */
import { levelAt } from './mallat';

/** Maximum |a| per level (index 0 = LL) of a Mallat array. */
export function levelMaxima(coefficients: Float64Array, size: number): number[] {
  const levels = Math.max(1, Math.round(Math.log2(size)));
  const maxima = new Array<number>(levels).fill(0);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const l = levelAt(r, c, size);
      const a = Math.abs(coefficients[r * size + c]);
      if (a > maxima[l]) maxima[l] = a;
    }
  }
  return maxima;
}

/** Diverging colour of t in [-1, 1]: blue - neutral - orange. `dark` picks the neutral. */
export function diverging(t: number, dark: boolean): [number, number, number] {
  const x = Math.max(-1, Math.min(1, t));
  const mid: [number, number, number] = dark ? [24, 26, 32] : [246, 246, 244];
  const pos: [number, number, number] = [245, 140, 40];
  const neg: [number, number, number] = [50, 130, 235];
  const end = x >= 0 ? pos : neg;
  const k = Math.sqrt(Math.abs(x)); // sqrt keeps small coefficients visible
  return [mid[0] + (end[0] - mid[0]) * k, mid[1] + (end[1] - mid[1]) * k, mid[2] + (end[2] - mid[2]) * k];
}

/** RGBA of a Mallat array, each level normalised by its own maximum. */
export function mosaicRgba(coefficients: Float64Array, size: number, dark: boolean): Uint8ClampedArray {
  const maxima = levelMaxima(coefficients, size);
  const out = new Uint8ClampedArray(size * size * 4);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const m = maxima[levelAt(r, c, size)] || 1;
      const [R, G, B] = diverging(coefficients[i] / m, dark);
      out[i * 4] = R;
      out[i * 4 + 1] = G;
      out[i * 4 + 2] = B;
      out[i * 4 + 3] = 255;
    }
  }
  return out;
}
