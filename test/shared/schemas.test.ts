import { describe, expect, it } from 'vitest';
import { editStartSchema, trainStartSchema } from '../../src/shared/schemas';

const train = { datasetId: 'mnist', tokenizer: { wavelet: 'haar', finalExponent: -2, variant: 'blocks' }, preset: 'tiny' };
const edit = { modelId: 'm', source: { tokens: [0], startExponent: 3 }, mask: { width: 2, height: 1, bits: '10' }, classIndex: 0 };

describe('IPC payload limits', () => {
  it('takes a few config overrides and refuses floods of them', () => {
    expect(trainStartSchema.safeParse({ ...train, train: { steps: 10, emaDecay: 0.99 } }).success).toBe(true);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
    expect(trainStartSchema.safeParse({ ...train, train: many }).success).toBe(false);
    expect(trainStartSchema.safeParse({ ...train, model: { ['x'.repeat(65)]: 1 } }).success).toBe(false);
    expect(trainStartSchema.safeParse({ ...train, model: { wavelet: 'y'.repeat(257) } }).success).toBe(false);
  });

  it('bounds edit masks and selections', () => {
    expect(editStartSchema.safeParse({ ...edit, levels: [0, 1], subbands: ['TR'], planes: [0] }).success).toBe(true);
    expect(editStartSchema.safeParse({ ...edit, mask: { width: 256, height: 256, bits: '0'.repeat(65536) } }).success).toBe(true);
    // a mask longer than the largest image is refused before the regex walks it
    expect(editStartSchema.safeParse({ ...edit, mask: { width: 256, height: 256, bits: '0'.repeat(65537) } }).success).toBe(false);
    expect(editStartSchema.safeParse({ ...edit, levels: Array.from({ length: 18 }, () => 0) }).success).toBe(false);
    expect(editStartSchema.safeParse({ ...edit, subbands: ['TR', 'TR', 'TR', 'TR', 'TR'] }).success).toBe(false);
    expect(editStartSchema.safeParse({ ...edit, planes: Array.from({ length: 66 }, () => 1) }).success).toBe(false);
  });
});
