/**
 * core/wavelet: PyWavelets parity (fixtures from scripts/make-wavelet-fixtures.py), the fast
 * path against the slow reference, perfect reconstruction, padding and cropping.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cropImage, forwardDwt2, inverseDwt2, padImage, WAVELET_NAMES, type WaveletName } from '../../../src/core/wavelet';
import { referenceForwardDwt2, referenceInverseDwt2 } from '../../../src/core/wavelet/reference';
import { seeded } from '../language/helpers';

interface Fixture {
  forward: { size: number; input: number[]; mallat: number[] }[];
  inverse: { size: number; mallat: number[]; square: number[] };
}

const load = (w: WaveletName): Fixture => JSON.parse(readFileSync(new URL(`../../fixtures/wavelet/pywt-${w}.json`, import.meta.url), 'utf8')) as Fixture;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function randomSquare(size: number, seed: number): Float64Array {
  const rnd = seeded(seed);
  return Float64Array.from({ length: size * size }, () => rnd() * 2 - 0.5);
}

describe.each(WAVELET_NAMES)('DWT %s', (w) => {
  const fx = load(w);

  it('matches PyWavelets wavedec2(periodization, level=m-1) + coeffs_to_array to 1e-9', () => {
    for (const c of fx.forward) {
      const out = forwardDwt2(Float64Array.from(c.input), c.size, w);
      expect(maxDiff(out, c.mallat), `size ${c.size}`).toBeLessThan(1e-9);
    }
  });

  it('matches PyWavelets waverec2 on a random Mallat array', () => {
    const { size, mallat, square } = fx.inverse;
    expect(maxDiff(inverseDwt2(Float64Array.from(mallat), size, w), square)).toBeLessThan(1e-9);
  });

  it('fast path equals the direct-convolution reference (forward and inverse, 1..m-1 levels)', () => {
    for (const size of [8, 16, 32]) {
      const m = Math.log2(size);
      for (let levels = 1; levels < m; levels++) {
        const x = randomSquare(size, size + levels);
        expect(maxDiff(forwardDwt2(x, size, w, levels), referenceForwardDwt2(x, size, w, levels))).toBeLessThan(1e-12);
        expect(maxDiff(inverseDwt2(x, size, w, levels), referenceInverseDwt2(x, size, w, levels))).toBeLessThan(1e-12);
      }
    }
  });

  it('reconstructs perfectly for every size 8..256', () => {
    for (let size = 8; size <= 256; size *= 2) {
      const x = randomSquare(size, size);
      const back = inverseDwt2(forwardDwt2(x, size, w), size, w);
      expect(maxDiff(back, x), `size ${size}`).toBeLessThan(w === 'bior4.4' ? 1e-11 : 1e-13);
    }
  });

  it('does not mutate its input', () => {
    const x = randomSquare(16, 3);
    const copy = Float64Array.from(x);
    forwardDwt2(x, 16, w);
    inverseDwt2(x, 16, w);
    expect(x).toEqual(copy);
  });
});

describe('padding', () => {
  it('centres 28x28 in 32x32 with 2 pixels each side and crops back', () => {
    const img = Float64Array.from({ length: 28 * 28 }, (_, i) => i + 1);
    const p = padImage(img, 28, 28);
    expect([p.size, p.top, p.left]).toEqual([32, 2, 2]);
    expect(p.square[2 * 32 + 2]).toBe(1);
    expect(p.square[0]).toBe(0);
    expect(cropImage(p.square, 32, 28, 28, 2, 2)).toEqual(img);
  });

  it('puts the odd extra pixel at the bottom / right', () => {
    const p = padImage(new Float64Array(5 * 3).fill(1), 5, 3);
    expect([p.size, p.top, p.left]).toEqual([8, 2, 1]);
  });

  it('rejects bad sizes and data lengths', () => {
    expect(() => padImage(new Float64Array(3), 2, 2)).toThrow(RangeError);
    expect(() => forwardDwt2(new Float64Array(12 * 12), 12, 'haar')).toThrow(RangeError);
    expect(() => forwardDwt2(new Float64Array(10), 8, 'haar')).toThrow(RangeError);
  });
});
