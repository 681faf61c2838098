/**
 * How a sentence starts: the start exponent drawn from its class histogram, and the
 * optional "robust start": the four LL coefficients drawn from a Gaussian fitted per class
 * (mean + Cholesky factor of the covariance), their tokens then forced plane by plane.
 * Used by: core/sample/sampler.ts, worker train job (fitting stats for the checkpoint).
 */
import type { TokenCorpus } from '../data/corpus';
import { createStepper, SLOT, SUBBAND, TOKEN, tokenAtThreshold } from '../language';
import type { SlotFields } from '../model/features';
import type { Prng } from '../model/prng';

export interface ClassStartStats {
  /** Start exponent (as a string key) -> count. */
  startExponents: Record<string, number>;
  /** Gaussian of the four LL coefficients (raster order), when the class had sentences. */
  ll?: { mean: number[]; chol: number[] };
}

/** Draws a start exponent from a histogram; throws when it is empty. */
export function drawStartExponent(histogram: Record<string, number>, rng: Prng): number {
  const entries = Object.entries(histogram).filter(([, c]) => c > 0).sort((a, b) => Number(a[0]) - Number(b[0]));
  const total = entries.reduce((s, [, c]) => s + c, 0);
  if (total === 0) throw new Error('empty start-exponent histogram');
  let u = rng.next() * total;
  for (const [key, count] of entries) {
    u -= count;
    if (u < 0) return Number(key);
  }
  return Number(entries[entries.length - 1][0]);
}

/** Cholesky factor (lower, row-major n x n) of a symmetric positive semi-definite matrix, with a small ridge. */
function cholesky(a: number[], n: number): number[] {
  const l = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] + (i === j ? 1e-9 : 0);
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 0)) : l[j * n + j] > 0 ? sum / l[j * n + j] : 0;
    }
  }
  return l;
}

/** Per-class start-exponent histograms and LL Gaussians from (at most maxPerClass sentences of) a corpus. */
export function fitStartStats(corpus: TokenCorpus, maxPerClass = 2000): ClassStartStats[] {
  const C = corpus.classes.length;
  const hist: Record<string, number>[] = Array.from({ length: C }, () => ({}));
  const samples: number[][][] = Array.from({ length: C }, () => []);
  const M = corpus.geometry.size;
  for (let i = 0; i + 1 < corpus.offsets.length; i++) {
    const c = corpus.labels[i];
    if (c >= C) continue;
    const e = corpus.startExponents[i];
    hist[c][String(e)] = (hist[c][String(e)] ?? 0) + 1;
    if (samples[c].length >= maxPerClass) continue;
    const stepper = createStepper(e, corpus.geometry, corpus.tokenizer);
    for (let k = corpus.offsets[i]; k < corpus.offsets[i + 1] && !stepper.done; k++) stepper.push(corpus.tokens[k]);
    const coef = stepper.coefficients();
    samples[c].push([coef[0], coef[1], coef[M], coef[M + 1]]);
  }
  return hist.map((startExponents, c) => {
    const xs = samples[c];
    if (xs.length === 0) return { startExponents };
    const mean = [0, 1, 2, 3].map((j) => xs.reduce((s, x) => s + x[j], 0) / xs.length);
    const cov = new Array<number>(16).fill(0);
    for (const x of xs) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) cov[i * 4 + j] += ((x[i] - mean[i]) * (x[j] - mean[j])) / xs.length;
    return { startExponents, ll: { mean, chol: cholesky(cov, 4) } };
  });
}

/** Four LL values from the class Gaussian, scaled so their largest magnitude fits exponent e (|a| < 2^(e+1)). */
export function drawLowPass(ll: { mean: number[]; chol: number[] }, rng: Prng, startExponent: number | null): { values: number[]; startExponent: number } {
  const z = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  const values = ll.mean.map((m, i) => m + z.reduce((s, zj, j) => s + ll.chol[i * 4 + j] * zj, 0));
  const peak = Math.max(...values.map(Math.abs), 1e-12);
  const e = startExponent ?? Math.floor(Math.log2(peak));
  const limit = 2 ** (e + 1) * (1 - 1e-9);
  return { values: values.map((v) => Math.max(-limit, Math.min(limit, v))), startExponent: e };
}

/** The token coefficient value a gives at threshold T (spec §4). */
function coefficientToken(a: number, T: number): number {
  return tokenAtThreshold(Math.abs(a), a < 0, T);
}

/**
 * A constraint for generate(): at slots covering the LL group, only the tokens the given
 * LL values produce are allowed (block / group slots: opened iff an LL value becomes
 * significant there). Other slots are unconstrained (all bits set).
 */
export function lowPassConstraint(values: readonly number[], startExponent: number): (slot: SlotFields, legal: number) => number {
  const bit = (t: number): number => 1 << t;
  return (slot, legal) => {
    if (slot.level !== 0 || slot.subband !== SUBBAND.LL || slot.row > 1 || slot.col > 1) {
      // Only the (0,0) block slot covers LL without being at level 0 in some layouts.
      if (!(slot.kind === SLOT.Block && slot.row === 0 && slot.col === 0)) return legal;
    }
    const T = 2 ** (startExponent - slot.plane);
    if (slot.kind === SLOT.Coefficient || slot.kind === SLOT.Refinement) {
      return bit(coefficientToken(values[slot.row * 2 + slot.col], T));
    }
    const opens = values.some((a) => Math.abs(a) >= T && Math.abs(a) < 2 * T);
    if (opens) return bit(coefficientToken(values[0], T));
    return slot.kind === SLOT.Block ? bit(TOKEN.Group4x4) | bit(TOKEN.Group2x2) : bit(TOKEN.Group2x2);
  };
}
