/**
 * Statistics of a token corpus: sentence lengths (with a histogram) and start-exponent
 * histograms, overall and per class. The sampler draws the start exponent of a new image
 * from the per-class histogram; the UI and the CLI show the length figures.
 * Used by: node/datasets/token-cache.ts, cli/commands/tokenize.ts, core/sample (histograms).
 */

/** Count per start exponent, keyed by the exponent as a decimal string ("-1": 1234). */
export type ExponentHistogram = Record<string, number>;

export interface LengthStats {
  mean: number;
  min: number;
  max: number;
  /** Equal-width bins: bin i counts lengths in [start + i*width, start + (i+1)*width). */
  histogram: { start: number; width: number; counts: number[] };
}

/** Length statistics of `lengths` (empty input gives zeros and no bins). */
export function lengthStats(lengths: ArrayLike<number>, bins = 32): LengthStats {
  const n = lengths.length;
  if (n === 0) return { mean: 0, min: 0, max: 0, histogram: { start: 0, width: 1, counts: [] } };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = lengths[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const counts = new Array<number>(Math.ceil((max - min + 1) / width)).fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor((lengths[i] - min) / width)]++;
  return { mean: sum / n, min, max, histogram: { start: min, width, counts } };
}

/** Sentence lengths from packed offsets (offsets has one more entry than sentences). */
export function lengthsFromOffsets(offsets: Uint32Array, start = 0, count = offsets.length - 1): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = offsets[start + i + 1] - offsets[start + i];
  return out;
}

/** Histogram of start exponents over all sentences. */
export function exponentHistogram(startExponents: ArrayLike<number>): ExponentHistogram {
  const out: ExponentHistogram = {};
  for (let i = 0; i < startExponents.length; i++) {
    const key = String(startExponents[i]);
    out[key] = (out[key] ?? 0) + 1;
  }
  return sortHistogram(out);
}

/** One start-exponent histogram per class (index = class index). */
export function exponentHistogramPerClass(
  startExponents: ArrayLike<number>,
  labels: ArrayLike<number>,
  classCount: number,
): ExponentHistogram[] {
  const out: ExponentHistogram[] = Array.from({ length: classCount }, () => ({}));
  for (let i = 0; i < startExponents.length; i++) {
    const hist = out[labels[i]];
    if (!hist) continue;
    const key = String(startExponents[i]);
    hist[key] = (hist[key] ?? 0) + 1;
  }
  return out.map(sortHistogram);
}

/** Sums histograms (e.g. the per-class ones of several splits). */
export function addHistograms(a: ExponentHistogram, b: ExponentHistogram): ExponentHistogram {
  const out: ExponentHistogram = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return sortHistogram(out);
}

/** Same histogram with its keys in numeric order (JSON output reads best that way). */
export function sortHistogram(h: ExponentHistogram): ExponentHistogram {
  const out: ExponentHistogram = {};
  for (const k of Object.keys(h).sort((x, y) => Number(x) - Number(y))) out[k] = h[k];
  return out;
}
