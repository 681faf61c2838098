/**
 * Fréchet distance: zero for identical statistics, the closed forms of the commuting
 * (diagonal) and one-dimensional cases, invariance to rotating both sets, and the
 * statistics of features (mean, unbiased covariance).
 */
import { describe, expect, it } from 'vitest';
import { featureStats, frechetDistance, traceSqrtProduct, type FeatureStats } from '../../../src/core/eval/fid';
import { matMul } from '../../../src/core/eval/linalg';
import { createRandom } from '../../../src/core/eval/random';

function stats(mean: number[], cov: number[]): FeatureStats {
  return { count: 100, dim: mean.length, mean: Float64Array.from(mean), cov: Float64Array.from(cov) };
}

describe('featureStats', () => {
  it('computes the mean and the unbiased covariance', () => {
    const s = featureStats(Float32Array.from([1, 2, 3, 6, 5, 10]), 3, 2); // rows (1,2) (3,6) (5,10)
    expect(Array.from(s.mean)).toEqual([3, 6]);
    expect(Array.from(s.cov)).toEqual([4, 8, 8, 16]);
  });

  it('refuses fewer than two rows', () => {
    expect(() => featureStats(new Float32Array(4), 1, 4)).toThrow(/at least 2/);
  });
});

describe('frechetDistance', () => {
  it('is zero between identical statistics', () => {
    const s = stats([1, 2], [2, 0.5, 0.5, 1]);
    expect(frechetDistance(s, s)).toBeCloseTo(0, 10);
  });

  it('matches the closed form for diagonal covariances: |Δμ|² + Σ(√a − √b)²', () => {
    const a = stats([0, 1, 2], [4, 0, 0, 0, 9, 0, 0, 0, 1]);
    const b = stats([1, 1, 0], [1, 0, 0, 0, 4, 0, 0, 0, 1]);
    const expected = 1 + 0 + 4 + (2 - 1) ** 2 + (3 - 2) ** 2 + 0;
    expect(frechetDistance(a, b)).toBeCloseTo(expected, 10);
  });

  it('matches the 1-D formula (μ1 − μ2)² + (σ1 − σ2)²', () => {
    expect(frechetDistance(stats([3], [16]), stats([1], [1]))).toBeCloseTo(4 + 9, 12);
  });

  it('is unchanged when both sets are rotated (a non-commuting check)', () => {
    const a = stats([0, 0], [3, 1, 1, 2]);
    const b = stats([1, -1], [1, -0.5, -0.5, 2]);
    const t = 0.7;
    const r = Float64Array.from([Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)]);
    const rt = Float64Array.from([r[0], r[2], r[1], r[3]]);
    const rotate = (s: FeatureStats): FeatureStats => ({
      ...s,
      mean: Float64Array.from([r[0] * s.mean[0] + r[1] * s.mean[1], r[2] * s.mean[0] + r[3] * s.mean[1]]),
      cov: matMul(matMul(r, s.cov, 2), rt, 2),
    });
    expect(frechetDistance(rotate(a), rotate(b))).toBeCloseTo(frechetDistance(a, b), 10);
  });

  it('computes Tr sqrt(S1 S2) for a non-symmetric product against its 2x2 closed form', () => {
    // For 2x2 M with real non-negative eigenvalues: Tr sqrt(M) = sqrt(Tr M + 2 sqrt(det M)).
    const s1 = Float64Array.from([2, 1, 1, 2]);
    const s2 = Float64Array.from([1, 0, 0, 3]);
    const m = matMul(s1, s2, 2);
    const expected = Math.sqrt(m[0] + m[3] + 2 * Math.sqrt(m[0] * m[3] - m[1] * m[2]));
    expect(traceSqrtProduct(s1, s2, 2)).toBeCloseTo(expected, 12);
  });

  it('grows with the shift between two sampled Gaussian clouds', () => {
    const random = createRandom(1);
    const cloud = (shift: number): FeatureStats => {
      const rows = new Float32Array(400 * 3).map((_, i) => random() + (i % 3 === 0 ? shift : 0));
      return featureStats(rows, 400, 3);
    };
    const base = cloud(0);
    expect(frechetDistance(base, cloud(0.5))).toBeLessThan(frechetDistance(base, cloud(2)));
  });
});
