/**
 * Jacobi eigen-decomposition and PSD square root: known eigenvalues, A = V diag V^T,
 * orthonormal vectors, sqrt(A)^2 = A, and tolerance of singular (rank-deficient) matrices.
 */
import { describe, expect, it } from 'vitest';
import { applySpectral, matMul, sqrtPsd, symmetricEigen, trace } from '../../../src/core/eval/linalg';
import { createRandom } from '../../../src/core/eval/random';

/** A random symmetric PSD matrix B B^T of rank <= rank. */
function randomPsd(n: number, rank: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const b = new Float64Array(n * rank).map(() => random() * 2 - 1);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < rank; k++) out[i * n + j] += b[i * rank + k] * b[j * rank + k];
  return out;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('symmetricEigen', () => {
  it('finds the eigenvalues 1 and 3 of [[2,1],[1,2]] with vectors (1,-1)/√2 and (1,1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    expect(Math.abs(vectors[0 * 2 + 1])).toBeCloseTo(Math.SQRT1_2, 12); // column 1 = (1,1)/√2 up to sign
    expect(vectors[0 * 2 + 1] * vectors[1 * 2 + 1]).toBeGreaterThan(0);
    expect(vectors[0 * 2 + 0] * vectors[1 * 2 + 0]).toBeLessThan(0);
  });

  it('reconstructs a 40x40 matrix and keeps the trace; vectors are orthonormal', () => {
    const n = 40;
    const a = randomPsd(n, n, 7);
    const eigen = symmetricEigen(a, n);
    expect(maxAbsDiff(applySpectral(eigen, n, (x) => x), a)).toBeLessThan(1e-10);
    expect(eigen.values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace(a, n), 9);
    const v = eigen.vectors;
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    expect(maxAbsDiff(matMul(vt, v, n), identity)).toBeLessThan(1e-10);
    for (let k = 1; k < n; k++) expect(eigen.values[k]).toBeGreaterThanOrEqual(eigen.values[k - 1]);
  });

  it('does not change its input', () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    symmetricEigen(a, 2);
    expect(Array.from(a)).toEqual([4, 2, 2, 3]);
  });
});

describe('sqrtPsd', () => {
  it('squares back to the matrix, also when it is singular', () => {
    for (const rank of [30, 5]) {
      const n = 30;
      const a = randomPsd(n, rank, rank);
      const root = sqrtPsd(a, n);
      expect(maxAbsDiff(matMul(root, root, n), a)).toBeLessThan(1e-8);
    }
  });

  it('gives the elementwise root of a diagonal matrix', () => {
    expect(Array.from(sqrtPsd(Float64Array.from([9, 0, 0, 0.25]), 2))).toEqual([3, 0, 0, 0.5]);
  });
});
