/**
 * Fréchet distance between two sets of judge features (FID computed on the judge's
 * penultimate layer, not Inception): each set is summarised by its mean and covariance
 * and d² = |mu1 - mu2|² + Tr(S1 + S2 - 2 (S1 S2)^{1/2}).
 * Tr (S1 S2)^{1/2} = Tr (A S2 A)^{1/2} with A = S1^{1/2}, since S1 S2 and A S2 A are similar
 * and A S2 A is symmetric PSD: only symmetric eigen-decompositions are needed.
 * Used by: node/eval/run-eval.ts, tests.
 */
import { matMul, sqrtPsd, symmetricEigen, trace } from './linalg';

export interface FeatureStats {
  count: number;
  dim: number;
  /** [dim] */
  mean: Float64Array;
  /** [dim, dim] row-major, unbiased (divides by count - 1) */
  cov: Float64Array;
}

/** Mean and covariance of `count` feature rows of width `dim` (row-major). */
export function featureStats(features: Float32Array | Float64Array, count: number, dim: number): FeatureStats {
  if (count < 2) throw new Error(`feature statistics need at least 2 rows, got ${count}`);
  if (features.length < count * dim) throw new Error(`features hold ${features.length} values, expected ${count * dim}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d] += features[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= count;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) centred[d] = features[i * dim + d] - mean[d];
    for (let r = 0; r < dim; r++) {
      const cr = centred[r];
      if (cr === 0) continue;
      for (let c = r; c < dim; c++) cov[r * dim + c] += cr * centred[c];
    }
  }
  for (let r = 0; r < dim; r++) {
    for (let c = r; c < dim; c++) {
      const v = cov[r * dim + c] / (count - 1);
      cov[r * dim + c] = v;
      cov[c * dim + r] = v;
    }
  }
  return { count, dim, mean, cov };
}

/** Trace of the principal square root of S1 S2 for symmetric PSD S1, S2. */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, n: number): number {
  const a = sqrtPsd(s1, n);
  const m = matMul(matMul(a, s2, n), a, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = 0.5 * (m[i * n + j] + m[j * n + i]); // remove rounding asymmetry
      m[i * n + j] = avg;
      m[j * n + i] = avg;
    }
  }
  const { values } = symmetricEigen(m, n);
  let t = 0;
  for (const v of values) t += Math.sqrt(Math.max(0, v));
  return t;
}

/** The Fréchet distance d² between two Gaussians given by their statistics (never negative). */
export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  if (a.dim !== b.dim) throw new Error(`feature widths differ: ${a.dim} vs ${b.dim}`);
  const n = a.dim;
  let meanTerm = 0;
  for (let d = 0; d < n; d++) meanTerm += (a.mean[d] - b.mean[d]) ** 2;
  const covTerm = trace(a.cov, n) + trace(b.cov, n) - 2 * traceSqrtProduct(a.cov, b.cov, n);
  return Math.max(0, meanTerm + covTerm);
}
