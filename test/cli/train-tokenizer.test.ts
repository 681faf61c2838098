/**
 * The train command's tokenizer: the dataset's own unless --wavelet / --final-exponent say
 * otherwise (Fashion-MNIST trains with bior4.4 2^-4 by default, not the MNIST settings).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainTokenizer } from '../../src/cli/commands/train';

const workspace = mkdtempSync(join(tmpdir(), 'ws-train-tok-'));

describe('trainTokenizer', () => {
  it("takes the dataset's tokenizer, then the flags over it", async () => {
    expect(await trainTokenizer(workspace, 'mnist', {})).toEqual({ wavelet: 'haar', finalExponent: -3, variant: 'blocks' });
    expect(await trainTokenizer(workspace, 'fashion-mnist', {})).toEqual({ wavelet: 'bior4.4', finalExponent: -4, variant: 'blocks' });
    expect(await trainTokenizer(workspace, 'fashion-mnist', { 'final-exponent': -2 })).toEqual({ wavelet: 'bior4.4', finalExponent: -2, variant: 'blocks' });
    expect(await trainTokenizer(workspace, 'mnist', { wavelet: 'bior2.2' })).toMatchObject({ wavelet: 'bior2.2', finalExponent: -3 });
    await expect(trainTokenizer(workspace, 'mnist', { wavelet: 'db4' })).rejects.toThrow();
  });
});
