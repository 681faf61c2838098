/**
 * Properties of the wavelet-language codec on synthetic digit-like images: error bounded by
 * the last threshold, PSNR monotone in the number of planes, grammar accepts every encoder
 * output and rejects illegal mutations, stepper and decoder agree, traces and plane starts.
 */
import { describe, expect, it } from 'vitest';
import {
  createStepper, decodeSentence, encodeImage, geometryFor, planeCount, planeStarts, psnr, reconstructPixels,
  startExponentOf, traceSentence, validateSentence, validateTokenizerConfig, LanguageError, SLOT, type TokenizerConfig,
} from '../../../src/core/language';
import { forwardDwt2 } from '../../../src/core/wavelet';
import { pixelsToSquare } from '../../../src/core/language/encoder';
import { digitLike, noiseImage, seeded } from './helpers';

const CONFIGS: TokenizerConfig[] = [
  { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
  { wavelet: 'bior4.4', finalExponent: -4, variant: 'blocks' },
  { wavelet: 'bior2.2', finalExponent: -2, variant: 'blocks' },
  { wavelet: 'haar', finalExponent: -3, variant: 'zerotree' },
  { wavelet: 'bior4.4', finalExponent: -4, variant: 'zerotree' },
];
const IMAGES = [
  { w: 28, h: 28, px: digitLike(28, 28, 1) },
  { w: 28, h: 28, px: digitLike(28, 28, 2) },
  { w: 20, h: 13, px: noiseImage(20, 13, 3) },
  { w: 64, h: 50, px: digitLike(64, 50, 4) },
  { w: 8, h: 8, px: new Uint8Array(64) },
];
const label = (c: TokenizerConfig): string => `${c.wavelet}/${c.variant}`;

describe.each(CONFIGS.map((c) => [label(c), c] as const))('codec %s', (_name, config) => {
  it('decoded coefficients are within the last threshold of the true ones', () => {
    for (const { w, h, px } of IMAGES) {
      const g = geometryFor(w, h);
      const a = forwardDwt2(pixelsToSquare(px, g), g.size, config.wavelet);
      const e = encodeImage(px, w, h, config);
      const d = decodeSentence(e.tokens, e.startExponent, e.geometry, config);
      const Tf = 2 ** config.finalExponent;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - d.coefficients[i])).toBeLessThan(Tf);
    }
  });

  it('per plane: the prefix up to plane p decodes within that plane\'s threshold', () => {
    const { w, h, px } = IMAGES[0];
    const g = geometryFor(w, h);
    const a = forwardDwt2(pixelsToSquare(px, g), g.size, config.wavelet);
    const e = encodeImage(px, w, h, config);
    const starts = planeStarts(traceSentence(e.tokens, e.startExponent, g, config));
    expect(starts.length).toBe(planeCount(e.startExponent, config));
    const ends = [...starts.slice(1), e.tokens.length];
    let lastPsnr = -Infinity;
    ends.forEach((end, p) => {
      const d = decodeSentence(e.tokens.subarray(0, end), e.startExponent, g, config);
      const T = 2 ** (e.startExponent - p);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - d.coefficients[i]));
      expect(worst, `plane ${p}`).toBeLessThan(T);
      const q = psnr(px, d.pixels);
      expect(q, `psnr at plane ${p}`).toBeGreaterThanOrEqual(lastPsnr - 1e-9);
      lastPsnr = q;
    });
  });

  it('the grammar accepts every encoder output and the stepper agrees with decodeSentence', () => {
    for (const { w, h, px } of IMAGES) {
      const e = encodeImage(px, w, h, config);
      expect(validateSentence(e.tokens, e.startExponent, e.geometry, config)).toEqual({ ok: true });
      const s = createStepper(e.startExponent, e.geometry, config);
      const cut = Math.floor(e.tokens.length / 2);
      for (let i = 0; i < cut; i++) {
        expect((s.legalMask() >> e.tokens[i]) & 1).toBe(1);
        s.push(e.tokens[i]);
      }
      expect(s.position).toBe(cut);
      expect(s.coefficients()).toEqual(decodeSentence(e.tokens.subarray(0, cut), e.startExponent, e.geometry, config).coefficients);
      const twin = s.clone();
      for (let i = cut; i < e.tokens.length; i++) s.push(e.tokens[i]);
      expect(s.done).toBe(true);
      expect(s.legalMask()).toBe(0);
      expect(s.nextSlot()).toBeNull();
      expect(twin.position).toBe(cut);
      expect(twin.done).toBe(e.tokens.length === cut);
    }
  });

  it('rejects mutations exactly where the stepper\'s mask says the token is illegal', () => {
    const rnd = seeded(11);
    const { w, h, px } = IMAGES[0];
    const e = encodeImage(px, w, h, config);
    let rejected = 0;
    for (let trial = 0; trial < 60; trial++) {
      const i = Math.floor(rnd() * e.tokens.length);
      const s = createStepper(e.startExponent, e.geometry, config);
      for (let k = 0; k < i; k++) s.push(e.tokens[k]);
      const mask = s.legalMask();
      const bad = [0, 1, 2, 3, 4, 5, 6].filter((t) => ((mask >> t) & 1) === 0);
      if (bad.length === 0) continue;
      const mutated = Uint8Array.from(e.tokens);
      mutated[i] = bad[Math.floor(rnd() * bad.length)];
      const v = validateSentence(mutated, e.startExponent, e.geometry, config);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.index).toBe(i);
      rejected++;
    }
    expect(rejected).toBeGreaterThan(30);
  });

  it('rejects too-long sentences, ids outside 0..6, incomplete sentences and bad start exponents', () => {
    const e = encodeImage(IMAGES[0].px, 28, 28, config);
    const long = Uint8Array.from([...e.tokens, 2]);
    expect(validateSentence(long, e.startExponent, e.geometry, config)).toMatchObject({ ok: false, index: e.tokens.length });
    expect(decodeSentence(long, e.startExponent, e.geometry, config).consumed).toBe(e.tokens.length);
    expect(validateSentence([7], e.startExponent, e.geometry, config)).toMatchObject({ ok: false, index: 0 });
    expect(validateSentence([-1], e.startExponent, e.geometry, config)).toMatchObject({ ok: false, index: 0 });
    expect(validateSentence([2.5], e.startExponent, e.geometry, config)).toMatchObject({ ok: false, index: 0 });
    expect(validateSentence(e.tokens.subarray(0, 5), e.startExponent, e.geometry, config)).toMatchObject({ ok: false, index: 5 });
    expect(validateSentence(e.tokens.subarray(0, 5), e.startExponent, e.geometry, config, { allowPrefix: true })).toEqual({ ok: true });
    expect(() => createStepper(config.finalExponent - 1, e.geometry, config)).toThrow(LanguageError);
    expect(() => createStepper(0.5, e.geometry, config)).toThrow(LanguageError);
  });

  it('traces every token: n + 1 slots, the last one kind -1 for a complete sentence', () => {
    const e = encodeImage(IMAGES[1].px, 28, 28, config);
    const t = traceSentence(e.tokens, e.startExponent, e.geometry, config);
    const n = e.tokens.length;
    expect(t.kind.length).toBe(n + 1);
    expect(t.complete).toBe(true);
    expect(t.kind[n]).toBe(-1);
    const s = createStepper(e.startExponent, e.geometry, config);
    for (let i = 0; i < n; i++) {
      const slot = s.nextSlot();
      expect(slot).not.toBeNull();
      expect([t.plane[i], t.row[i], t.col[i], t.level[i], t.subband[i], t.kind[i]]).toEqual([slot!.plane, slot!.row, slot!.col, slot!.level, slot!.subband, slot!.kind]);
      s.push(e.tokens[i]);
    }
    const half = traceSentence(e.tokens.subarray(0, 10), e.startExponent, e.geometry, config);
    expect(half.complete).toBe(false);
    expect(half.kind[10]).toBe(t.kind[10]);
  });
});

describe('positions and thresholds', () => {
  const config: TokenizerConfig = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' };

  it('the first slot of a 28x28 sentence is the top-left block (LL, level 0) of plane 0', () => {
    const s = createStepper(2, geometryFor(28, 28), config);
    expect(s.nextSlot()).toEqual({ plane: 0, row: 0, col: 0, level: 0, subband: 0, kind: SLOT.Block });
  });

  it('levels and subbands follow the Mallat layout (32x32: level 4 coarsest, 1 finest)', () => {
    const s = createStepper(2, geometryFor(28, 28), config);
    s.push(1); // G2 over LL opens the top-left block: next slot is the coarsest TR group
    expect(s.nextSlot()).toMatchObject({ row: 0, col: 2, level: 4, subband: 1, kind: SLOT.Group });
    const t = traceSentence(encodeImage(digitLike(28, 28, 5), 28, 28, config).tokens, 2, geometryFor(28, 28), config);
    for (let i = 0; i < t.length; i++) {
      if (t.row[i] >= 16 && t.col[i] >= 16) expect([t.level[i], t.subband[i]]).toEqual([1, 3]);
      if (t.row[i] < 16 && t.col[i] >= 16) expect([t.level[i], t.subband[i]]).toEqual([1, 1]);
    }
  });

  it('start exponent: floor(log2 max|a|), exact at powers of two, never below Tf', () => {
    expect(startExponentOf(Float64Array.from([0.3, -1.05]), config)).toBe(0);
    expect(startExponentOf(Float64Array.from([2, 1]), config)).toBe(1);
    expect(startExponentOf(Float64Array.from([-4]), config)).toBe(2);
    expect(startExponentOf(Float64Array.from([0.01]), config)).toBe(-3);
    expect(startExponentOf(new Float64Array(4), config)).toBe(-3);
    expect(planeCount(2, config)).toBe(6);
  });

  it('an all-black image is one Group4x4 per block per plane', () => {
    const e = encodeImage(new Uint8Array(28 * 28), 28, 28, config);
    expect(e.startExponent).toBe(-3);
    expect(Array.from(e.tokens)).toEqual(new Array(64).fill(0));
    expect(decodeSentence(e.tokens, -3, e.geometry, config).pixels.every((v) => v === 0)).toBe(true);
  });

  it('psnr is Infinity for equal images and finite otherwise; reconstructPixels round-trips exact coefficients', () => {
    const px = digitLike(28, 28, 9);
    expect(psnr(px, px)).toBe(Infinity);
    const g = geometryFor(28, 28);
    const a = forwardDwt2(pixelsToSquare(px, g), g.size, 'bior4.4');
    expect(reconstructPixels(a, g, 'bior4.4')).toEqual(px);
    const other = Uint8Array.from(px, (v) => 255 - v);
    expect(Number.isFinite(psnr(px, other))).toBe(true);
    expect(() => psnr(px, new Uint8Array(3))).toThrow(RangeError);
  });

  it('config validation rejects unknown keys and bad values', () => {
    expect(validateTokenizerConfig({ wavelet: 'bior4.4' })).toEqual({ wavelet: 'bior4.4', finalExponent: -3, variant: 'blocks' });
    expect(() => validateTokenizerConfig({ wavlet: 'haar' })).toThrow(/unknown/);
    expect(() => validateTokenizerConfig({ toString: 'x' })).toThrow(/unknown/); // inherited names are not config keys
    expect(() => validateTokenizerConfig({ finalExponent: 0.5 })).toThrow(RangeError);
    expect(() => validateTokenizerConfig({ variant: 'spiht' })).toThrow(RangeError);
    expect(() => geometryFor(300, 10)).toThrow(RangeError);
  });
});
