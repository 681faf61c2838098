/**
 * Small dense linear algebra in Float64 for FID: symmetric eigen-decomposition (cyclic
 * Jacobi rotations), the square root of a symmetric positive semi-definite matrix, and
 * products. Matrices are row-major Float64Array of n*n. Plain loops: n is ~100, and a
 * reference this simple is easy to trust.
 * Used by: core/eval/fid.ts, tests.
 */

export interface SymmetricEigen {
  /** eigenvalues, ascending */
  values: Float64Array;
  /** row-major n*n; column k is the unit eigenvector of values[k] */
  vectors: Float64Array;
}

/** C = A B for n x n row-major matrices. */
export function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

export function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}

/** Sum of squares of the off-diagonal entries. */
function offDiagonalNorm2(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i * n + j] * a[i * n + j];
  return s;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi sweeps: each rotation zeroes
 * one off-diagonal pair; sweeps repeat until the off-diagonal mass is negligible relative
 * to the matrix (quadratic convergence, typically < 10 sweeps). The input is not changed.
 * (Longer than 50 lines would be split; this is one numeric kernel kept whole for clarity.)
 */
export function symmetricEigen(input: Float64Array, n: number, maxSweeps = 60): SymmetricEigen {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  const tolerance = 1e-24 * Math.max(scale, 1e-300);
  for (let sweep = 0; sweep < maxSweeps && offDiagonalNorm2(a, n) > tolerance; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        // 1. rotation angle that zeroes a[p][q]: t = tan(theta), smaller root for stability
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // 2. A <- J^T A J: rows p, q then columns p, q
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        // 3. accumulate V <- V J
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return sortEigen(a, v, n);
}

function sortEigen(a: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/** V diag(f(values)) V^T */
export function applySpectral(eigen: SymmetricEigen, n: number, f: (x: number) => number): Float64Array {
  const { values, vectors } = eigen;
  const out = new Float64Array(n * n);
  const fv = values.map(f);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k] * fv[k] * vectors[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** Principal square root of a symmetric PSD matrix (tiny negative eigenvalues from rounding clamp to 0). */
export function sqrtPsd(a: Float64Array, n: number): Float64Array {
  return applySpectral(symmetricEigen(a, n), n, (x) => Math.sqrt(Math.max(0, x)));
}
