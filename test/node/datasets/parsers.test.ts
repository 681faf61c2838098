/**
 * The small parsers under the importers and the CLI: NumPy headers (versions, endianness,
 * dtypes), CSV fields, class naming, the deterministic test split, length statistics, and
 * the CLI's final-threshold syntax.
 */
import { describe, expect, it } from 'vitest';
import { assignTestSplit, classesFromValues, splitOrder } from '../../../src/core/data/dataset';
import { exponentHistogramPerClass, lengthStats } from '../../../src/core/data/token-stats';
import { parseFinalThreshold } from '../../../src/cli/commands/tokenize';
import { splitCsvLine } from '../../../src/node/datasets/import-csv';
import { npyImages, npyLabels, parseNpy } from '../../../src/node/datasets/npy';
import { parseIdx } from '../../../src/node/datasets/idx';

function npyBytes(descr: string, shape: string, data: number[], version = 1): Uint8Array {
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`;
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(data, pre + header.length);
  return out;
}

describe('NumPy parsing', () => {
  it('reads big-endian int16 labels and a version 2 header', () => {
    const arr = parseNpy(npyBytes('>i2', '(3,)', [0, 1, 0, 2, 1, 0], 2), 'l.npy');
    expect(npyLabels(arr, 'l.npy')).toEqual([1, 2, 256]);
  });

  it('accepts images with a trailing channel axis of 1', () => {
    const arr = parseNpy(npyBytes('|u1', '(2, 1, 2, 1)', [1, 2, 3, 4]), 'i.npy');
    expect(npyImages(arr, 'i.npy')).toMatchObject({ count: 2, height: 1, width: 2 });
  });

  it('refuses Fortran-ordered arrays and float labels by name', () => {
    const fortran = npyBytes('|u1', '(1, 2, 2)', [1, 2, 3, 4]);
    const text = new TextDecoder().decode(fortran).replace('False', 'True ');
    expect(() => parseNpy(new TextEncoder().encode(text).map((b, i) => (i < 10 ? fortran[i] : b)), 'f.npy')).toThrow(/f\.npy: Fortran-order/);
    expect(() => npyLabels(parseNpy(npyBytes('<f8', '(1,)', [0, 0, 0, 0, 0, 0, 0, 0]), 'x.npy'), 'x.npy')).toThrow(/must be integers/);
  });
});

describe('IDX parsing', () => {
  it('reads a 1-D label file', () => {
    expect(Array.from(parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 4, 5]), 'l').data)).toEqual([4, 5]);
  });
});

describe('CSV fields', () => {
  it('splits plain, quoted and escaped fields; flags broken quotes', () => {
    expect(splitCsvLine('a.png,3')).toEqual(['a.png', '3']);
    expect(splitCsvLine('"a, b.png",cat')).toEqual(['a, b.png', 'cat']);
    expect(splitCsvLine('"say ""hi"".png",1')).toEqual(['say "hi".png', '1']);
    expect(splitCsvLine('"open,1')).toBeUndefined();
    expect(splitCsvLine('"a"x,1')).toBeUndefined();
  });
});

describe('classes and splits', () => {
  it('orders integer labels numerically and text alphabetically', () => {
    expect(classesFromValues(['10', '2', '2', '0']).classes).toEqual(['0', '2', '10']);
    expect(classesFromValues(['dog', 'cat', 'ant']).classes).toEqual(['ant', 'cat', 'dog']);
  });

  it('puts the last share of each class in test, keeping source order', () => {
    const labels = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2];
    const isTest = assignTestSplit(labels, 3, 0.2);
    expect(isTest.map((t, i) => (t ? i : -1)).filter((i) => i >= 0)).toEqual([8, 9]); // class 2 has one item: stays in train
    expect(splitOrder(isTest).order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 10, 8, 9]);
    expect(assignTestSplit(labels, 3, 0).every((t) => !t)).toBe(true);
  });
});

describe('token statistics', () => {
  it('length histogram bins cover every length', () => {
    const s = lengthStats([5, 7, 7, 100]);
    expect([s.min, s.max, s.mean]).toEqual([5, 100, 29.75]);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(s.histogram.start + s.histogram.width * s.histogram.counts.length).toBeGreaterThan(100);
  });

  it('start-exponent histograms per class', () => {
    expect(exponentHistogramPerClass([1, 0, 1, -1], [0, 0, 1, 1], 2)).toEqual([{ 0: 1, 1: 1 }, { '-1': 1, 1: 1 }]);
  });
});

describe('tokenize --final-threshold', () => {
  it('accepts 0.125, 2^-3, 2**-4 and 1; refuses what is not a power of two', () => {
    expect(parseFinalThreshold('0.125')).toBe(-3);
    expect(parseFinalThreshold('2^-3')).toBe(-3);
    expect(parseFinalThreshold('2**-4')).toBe(-4);
    expect(parseFinalThreshold('1')).toBe(0);
    expect(() => parseFinalThreshold('0.3')).toThrow(/power of two/);
    expect(() => parseFinalThreshold('-0.5')).toThrow(/power of two/);
  });
});
