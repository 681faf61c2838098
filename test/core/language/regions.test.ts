/**
 * Regions: ownership ("touching" / "contained"), footprints that really bound the change,
 * and the constrained region stepper: random regenerations keep every coefficient outside
 * the free set and every pixel outside the footprint exactly as in the source.
 */
import { describe, expect, it } from 'vitest';
import {
  createRegionStepper, decodeSentence, encodeImage, geometryFor, regionCoefficients, regionFootprint, scanTables,
  LanguageError, type Geometry, type RegionAllow, type TokenizerConfig,
} from '../../../src/core/language';
import { inverseDwt2 } from '../../../src/core/wavelet';
import { digitLike, seeded } from './helpers';

function boxMask(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return m;
}

/** Regenerates under the constraint with random legal choices; returns the tokens. */
function randomRegeneration(src: { tokens: Uint8Array; startExponent: number }, g: Geometry, config: TokenizerConfig, owned: Uint8Array, rnd: () => number, allow?: RegionAllow): number[] {
  const s = createRegionStepper(src, g, config, owned, allow);
  const out: number[] = [];
  while (!s.done) {
    const mask = s.legalMask();
    expect(mask, `dead end at token ${out.length}`).not.toBe(0);
    const legal = [0, 1, 2, 3, 4, 5, 6].filter((t) => (mask >> t) & 1);
    expect(s.forcedToken()).toBe(legal.length === 1 ? legal[0] : -1);
    const t = legal[Math.floor(rnd() * legal.length)];
    out.push(t);
    s.push(t);
  }
  return out;
}

describe.each(['haar', 'bior4.4', 'bior2.2'] as const)('footprint (%s)', (wavelet) => {
  it('the footprint covers the true support of every coefficient (64x64, impulse responses)', () => {
    const g64 = geometryFor(64, 64);
    const N = 64 * 64;
    for (let i = 0; i < N; i++) {
      const owned = new Uint8Array(N);
      owned[i] = 1;
      const fp = regionFootprint(owned, g64, wavelet);
      const impulse = new Float64Array(N);
      impulse[i] = 1;
      const response = inverseDwt2(impulse, 64, wavelet);
      for (let p = 0; p < N; p++) if (response[p] !== 0 && fp[p] === 0) expect.fail(`coefficient ${i} reaches pixel ${p} outside its footprint`);
    }
  });
});

const CONFIGS: TokenizerConfig[] = [
  { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
  { wavelet: 'bior4.4', finalExponent: -3, variant: 'blocks' },
];

describe.each(CONFIGS.map((c) => [c.wavelet, c] as const))('regions (%s)', (_w, config) => {
  const g = geometryFor(28, 28);
  const px = digitLike(28, 28, 21);
  const src = encodeImage(px, 28, 28, config);
  const source = decodeSentence(src.tokens, src.startExponent, g, config);
  const mask = boxMask(28, 28, 6, 8, 20, 22);
  // the 9/7 supports are wider: a bigger mask so that some coefficients are contained
  const bigMask = config.wavelet === 'haar' ? mask : boxMask(28, 28, 2, 2, 27, 26);

  it('contained coefficients are a subset of touching ones, and their footprint lies inside the mask', () => {
    const touching = regionCoefficients(mask, 28, 28, g, config.wavelet, 'touching');
    const contained = regionCoefficients(mask, 28, 28, g, config.wavelet, 'contained');
    let nc = 0;
    contained.forEach((v, i) => { if (v) { nc++; expect(touching[i]).toBe(1); } });
    if (config.wavelet === 'haar') expect(nc).toBeGreaterThan(0);
    const bigContained = regionCoefficients(bigMask, 28, 28, g, config.wavelet, 'contained');
    expect(bigContained.some((v) => v === 1)).toBe(true);
    const fp = regionFootprint(bigContained, g, config.wavelet);
    fp.forEach((v, i) => { if (v) expect(bigMask[i]).toBe(1); });
    const empty = regionCoefficients(new Uint8Array(28 * 28), 28, 28, g, config.wavelet, 'touching');
    expect(empty.every((v) => v === 0)).toBe(true);
  });

  it.each(['touching', 'contained'] as const)('random %s regenerations keep the outside exactly', (selection) => {
    const rnd = seeded(selection === 'touching' ? 8 : 9);
    const owned = regionCoefficients(selection === 'touching' ? mask : bigMask, 28, 28, g, config.wavelet, selection);
    const fp = regionFootprint(owned, g, config.wavelet);
    let changed = 0;
    for (let trial = 0; trial < 8; trial++) {
      const tokens = randomRegeneration(src, g, config, owned, rnd);
      const d = decodeSentence(tokens, src.startExponent, g, config);
      for (let i = 0; i < owned.length; i++) if (!owned[i]) expect(d.coefficients[i]).toBe(source.coefficients[i]);
      for (let p = 0; p < fp.length; p++) if (!fp[p]) expect(d.pixels[p]).toBe(source.pixels[p]);
      if (d.pixels.some((v, p) => v !== source.pixels[p])) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('allow.levels / subbands / planes: coefficients outside them stay as in the source', () => {
    const rnd = seeded(12);
    const owned = regionCoefficients(mask, 28, 28, g, config.wavelet, 'touching');
    const { level, subband } = scanTables(g.size);
    const allow: RegionAllow = { levels: [1, 2], subbands: [1, 3], planes: [2, 3, 4, 5, 6] };
    for (let trial = 0; trial < 6; trial++) {
      const tokens = randomRegeneration(src, g, config, owned, rnd, allow);
      const d = decodeSentence(tokens, src.startExponent, g, config);
      for (let i = 0; i < owned.length; i++) {
        const free = owned[i] && [1, 2].includes(level[i]) && [1, 3].includes(subband[i]);
        if (!free) expect(d.coefficients[i]).toBe(source.coefficients[i]);
      }
      // planes 0 and 1 are fixed: the first two planes of the sentence equal the source's
      const s = createRegionStepper(src, g, config, owned, allow);
      let k = 0;
      while (!s.done && s.nextSlot()!.plane < 2) {
        expect(tokens[k]).toBe(src.tokens[k]);
        s.push(tokens[k++]);
      }
    }
  });

  it('an empty region forces the source sentence token by token; illegal tokens throw', () => {
    const s = createRegionStepper(src, g, config, new Uint8Array(g.size * g.size));
    for (let i = 0; i < src.tokens.length; i++) {
      expect(s.forcedToken()).toBe(src.tokens[i]);
      const other = (src.tokens[i] + 1) % 7;
      expect(() => s.clone().push(other)).toThrow(LanguageError);
      s.push(src.tokens[i]);
    }
    expect(s.done).toBe(true);
    expect(() => createRegionStepper({ tokens: src.tokens.subarray(0, 5), startExponent: src.startExponent }, g, config, new Uint8Array(1024))).toThrow(LanguageError);
  });

  it('refuses a source coded with a lower final threshold (tokens after the last plane) instead of truncating it', () => {
    const finer = { ...config, finalExponent: config.finalExponent - 1 };
    const long = encodeImage(px, 28, 28, finer);
    expect(() => createRegionStepper(long, g, config, new Uint8Array(g.size * g.size))).toThrow(/another tokenizer/);
  });
});
