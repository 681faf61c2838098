/**
 * Decoder fuzzing: random token streams never crash or hang the decoder; each one either
 * decodes or fails with a LanguageError whose index is the first illegal token. Random
 * walks under the grammar mask always decode and validate.
 */
import { describe, expect, it } from 'vitest';
import { createStepper, decodeSentence, geometryFor, LanguageError, validateSentence, type TokenizerConfig } from '../../../src/core/language';
import { seeded } from './helpers';

const CONFIGS: TokenizerConfig[] = [
  { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
  { wavelet: 'bior4.4', finalExponent: -2, variant: 'zerotree' },
];

describe.each(CONFIGS.map((c) => [c.variant, c] as const))('fuzzing (%s)', (_v, config) => {
  it('random streams: a valid decode or a LanguageError at the first illegal token', () => {
    const rnd = seeded(5);
    const g = geometryFor(28, 28);
    let errors = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(rnd() * 400);
      const tokens = Array.from({ length: n }, () => (rnd() < 0.02 ? Math.floor(rnd() * 12) - 2 : Math.floor(rnd() * 7)));
      const e0 = config.finalExponent + Math.floor(rnd() * 5);
      try {
        const d = decodeSentence(tokens, e0, g, config);
        expect(d.pixels.length).toBe(28 * 28);
        expect(d.coefficients.every(Number.isFinite)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(LanguageError);
        const index = (e as LanguageError).index;
        // the prefix before the offending token is itself decodable
        expect(() => decodeSentence(tokens.slice(0, index), e0, g, config)).not.toThrow();
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('random walks under the mask always make complete, valid sentences', () => {
    const rnd = seeded(6);
    for (const [w, h] of [[28, 28], [8, 8], [40, 17]]) {
      const g = geometryFor(w, h);
      for (let trial = 0; trial < 10; trial++) {
        const s = createStepper(0, g, config);
        const tokens: number[] = [];
        while (!s.done) {
          const mask = s.legalMask();
          const legal = [0, 1, 2, 3, 4, 5, 6].filter((t) => (mask >> t) & 1);
          expect(legal.length).toBeGreaterThan(0);
          // bias towards insignificance so sentences stay short
          const t = legal.includes(2) && rnd() < 0.6 ? 2 : legal[Math.floor(rnd() * legal.length)];
          tokens.push(t);
          s.push(t);
        }
        expect(validateSentence(tokens, 0, g, config)).toEqual({ ok: true });
        expect(decodeSentence(tokens, 0, g, config).coefficients).toEqual(s.coefficients());
      }
    }
  });
});

describe('canonical start threshold (blocks)', () => {
  it('random walks that prefer Group4x4 still make plane 0 non-empty when T0 > Tf, and re-encode to the same sentence', () => {
    const config: TokenizerConfig = { wavelet: 'haar', finalExponent: -1, variant: 'blocks' };
    const g = geometryFor(28, 28);
    const rnd = seeded(9);
    for (let trial = 0; trial < 60; trial++) {
      const e0 = config.finalExponent + 1 + Math.floor(rnd() * 3);
      const stepper = createStepper(e0, g, config);
      const tokens: number[] = [];
      while (!stepper.done) {
        const mask = stepper.legalMask();
        // take the emptiest legal token almost always: an empty plane 0 would be reached if allowed
        const legal = [0, 1, 2, 3, 4, 5, 6].filter((t) => (mask >> t) & 1);
        const t = rnd() < 0.995 ? legal[0] : legal[Math.floor(rnd() * legal.length)];
        tokens.push(t);
        stepper.push(t);
      }
      const decoded = decodeSentence(tokens, e0, g, config);
      const planeZeroMax = Math.max(...Array.from(decoded.coefficients, Math.abs));
      expect(planeZeroMax).toBeGreaterThanOrEqual(2 ** e0);
      expect(validateSentence(tokens, e0, g, config)).toEqual({ ok: true });
    }
  });

  it('an empty plane 0 is legal when T0 = Tf (an image whose coefficients are all below Tf)', () => {
    const config: TokenizerConfig = { wavelet: 'haar', finalExponent: -1, variant: 'blocks' };
    const g = geometryFor(28, 28);
    const stepper = createStepper(-1, g, config);
    while (!stepper.done) stepper.push(0);
    expect(stepper.position).toBe(64);
  });
});
