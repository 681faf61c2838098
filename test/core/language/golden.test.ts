/**
 * Golden tests of the wavelet language: the worked example of spec section 8, and sentences
 * of a few images coded by the independent Python coder in scripts/make-wavelet-fixtures.py
 * (blocks and zero-tree variants, three wavelets, several final thresholds).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSentence, encodeImage, TOKEN_SHORT, type CoderVariant, type TokenizerConfig, type WaveletName } from '../../../src/core/language';

const WORKED = new Uint8Array(64);
for (let r = 1; r <= 6; r++) {
  WORKED[r * 8 + 4] = 217;
  WORKED[r * 8 + 5] = 140;
}
WORKED[6 * 8 + 2] = 230;
WORKED[6 * 8 + 3] = 230;

const SPEC_38 = (
  'Ins Pos Ins Pos Ins Pos Ins Pos G2 G2 G4 G4 G4 ' +
  'Ins Acc0 Ins Acc0 Ins Acc0 Ins Acc0 G2 G2 G4 G2 Neg Ins Ins Ins Ins Ins Ins Pos Ins Ins Pos Ins G4'
).split(' ');

const haar = (finalExponent: number): TokenizerConfig => ({ wavelet: 'haar', finalExponent, variant: 'blocks' });
const names = (t: Uint8Array): string[] => Array.from(t, (x) => TOKEN_SHORT[x]);

describe('worked example (spec 8)', () => {
  it('codes to the 38 tokens of the spec with Tf = 0.5, start exponent 0', () => {
    const e = encodeImage(WORKED, 8, 8, haar(-1));
    expect(e.startExponent).toBe(0);
    expect(names(e.tokens)).toEqual(SPEC_38);
  });

  it('decodes to 1.25 (four LL-side coefficients), -0.75 at (4,2), 0.75 at (7,1) and (7,2), else 0', () => {
    const e = encodeImage(WORKED, 8, 8, haar(-1));
    const { coefficients, consumed } = decodeSentence(e.tokens, 0, e.geometry, haar(-1));
    expect(consumed).toBe(38);
    const nonzero = new Map<string, number>();
    coefficients.forEach((v, i) => { if (v !== 0) nonzero.set(`${Math.floor(i / 8)},${i % 8}`, v); });
    expect(nonzero.get('4,2')).toBe(-0.75);
    expect(nonzero.get('7,1')).toBe(0.75);
    expect(nonzero.get('7,2')).toBe(0.75);
    expect([...nonzero.values()].filter((v) => v === 1.25)).toHaveLength(4);
    expect(nonzero.size).toBe(7);
  });

  it('has 78 tokens with Tf = 0.25, the first 38 being the ones above', () => {
    const e = encodeImage(WORKED, 8, 8, haar(-2));
    expect(e.tokens.length).toBe(78);
    expect(names(e.tokens.subarray(0, 38))).toEqual(SPEC_38);
  });
});

interface GoldenCase {
  name: string;
  width: number;
  height: number;
  pixels: number[];
  wavelet: WaveletName;
  finalExponent: number;
  variant: CoderVariant;
  startExponent: number;
  tokens: string;
  decoded: number[];
}

const golden = JSON.parse(readFileSync(new URL('../../fixtures/language/golden-sentences.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

describe('golden sentences from the independent Python coder', () => {
  it.each(golden.cases.map((c) => [`${c.name} ${c.wavelet} Tf=2^${c.finalExponent} ${c.variant}`, c] as const))('%s', (_label, c) => {
    const config: TokenizerConfig = { wavelet: c.wavelet, finalExponent: c.finalExponent, variant: c.variant };
    const e = encodeImage(Uint8Array.from(c.pixels), c.width, c.height, config);
    expect(e.startExponent).toBe(c.startExponent);
    expect(Array.from(e.tokens).join('')).toBe(c.tokens);
    const d = decodeSentence(e.tokens, e.startExponent, e.geometry, config);
    let worst = 0;
    d.coefficients.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - c.decoded[i])); });
    expect(worst).toBe(0);
  });
});
