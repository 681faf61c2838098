// @vitest-environment happy-dom
/**
 * Renderer helpers: the PNG encoder (a valid zlib stream, tEXt metadata that reads back),
 * Mallat geometry, the per-level diverging colour map, smoothing, run alignment and the
 * override parser, and the guidance label of sampling heads.
 */
import { describe, expect, it } from 'vitest';
import { crc32, encodeGrayPng, readPngText } from '../../src/renderer/lib/png';
import { levelAt, subbandAt } from '../../src/renderer/lib/mallat';
import { levelMaxima, mosaicRgba } from '../../src/renderer/lib/colormap';
import { alignRuns, lossSeries, parseOverrides, smooth } from '../../src/renderer/lib/series';
import { base64ToBytes, bytesToBase64 } from '../../src/renderer/lib/pixels';
import { guidanceLabel, withSpace } from '../../src/renderer/lib/format';
import { cleanGuidancePlanes, samplingRequest } from '../../src/renderer/lib/sampling';

function chunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  const out = [];
  let o = 8;
  while (o < png.length) {
    const len = new DataView(png.buffer, png.byteOffset + o).getUint32(0);
    out.push({ type: String.fromCharCode(...png.subarray(o + 4, o + 8)), data: png.subarray(o + 8, o + 8 + len) });
    o += 12 + len;
  }
  return out;
}

describe('png encoder', () => {
  it('writes a signature, IHDR, tEXt and an IDAT whose zlib stream inflates to the filtered rows', async () => {
    const gray = Uint8Array.from({ length: 6 * 3 }, (_, i) => i * 10);
    const png = encodeGrayPng(gray, 6, 3, { Seed: '42', Sentence: '2320' });
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'tEXt', 'IDAT', 'IEND']);
    const idat = cs.find((c) => c.type === 'IDAT')!.data;
    const raw = new Uint8Array(await new Response(new Blob([idat as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer());
    expect(raw.length).toBe(3 * 7);
    expect(Array.from(raw.subarray(7, 14))).toEqual([0, ...gray.subarray(6, 12)]);
    expect(readPngText(png)).toEqual({ Seed: '42', Sentence: '2320' });
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips base64 pixels', () => {
    const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});

describe('mallat geometry and colour map', () => {
  it('finds levels and subbands of a 32 x 32 Mallat array', () => {
    expect(levelAt(1, 1, 32)).toBe(0);
    expect(levelAt(0, 3, 32)).toBe(4);
    expect(levelAt(20, 3, 32)).toBe(1);
    expect(subbandAt(0, 20, 32)).toEqual({ level: 1, subband: 'TR', row: 0, col: 16, side: 16 });
    expect(subbandAt(5, 2, 32)).toEqual({ level: 3, subband: 'BL', row: 4, col: 0, side: 4 });
    expect(subbandAt(9, 12, 32)).toEqual({ level: 2, subband: 'BR', row: 8, col: 8, side: 8 });
  });

  it('normalises each level by its own maximum, orange for positive and blue for negative', () => {
    const size = 8;
    const a = new Float64Array(size * size);
    a[0] = 10; // LL
    a[4] = 0.1; // level 1, TR
    a[4 * 8] = -0.1; // level 1, BL
    expect(levelMaxima(a, size)).toEqual([10, 0.1, 0]);
    const rgba = mosaicRgba(a, size, false);
    const px = (i: number): number[] => Array.from(rgba.subarray(i * 4, i * 4 + 3));
    expect(px(0)).toEqual(px(4)); // full orange at both levels despite 100x scale difference
    expect(px(4 * 8)[2]).toBeGreaterThan(px(4 * 8)[0]); // negative is blue
  });
});

describe('series helpers', () => {
  it('smooths with a debiased average and keeps gaps', () => {
    expect(smooth([1, null, 1, 1], 0.9)).toEqual([1, null, 1, 1].map((v) => (v === null ? null : expect.closeTo(1, 9))));
    expect(smooth([0, 10], 0)).toEqual([0, 10]);
  });

  it('aligns runs on the union of their steps', () => {
    const a = [{ step: 1, trainLoss: 3, wallSec: 0 }, { step: 3, trainLoss: 2, wallSec: 0 }];
    const b = [{ step: 2, trainLoss: 4, wallSec: 0 }, { step: 3, valLoss: 9, wallSec: 0 }];
    expect(alignRuns([a, b], 'trainLoss')).toEqual({ steps: [1, 2, 3], values: [[3, null, 2], [null, 4, null]] });
  });

  it('builds the loss chart: train, val, the average\'s val only when the run has one, and compared runs', () => {
    const plain = [{ step: 1, trainLoss: 3, wallSec: 0 }, { step: 2, trainLoss: 2, valLoss: 2.5, wallSec: 0 }];
    expect(lossSeries(plain, {}, 0).series.map((s) => s.label)).toEqual(['train', 'val']);
    const averaged = [...plain, { step: 4, trainLoss: 1.5, valLoss: 2, emaValLoss: 1.8, wallSec: 0 }];
    const other = [{ step: 3, trainLoss: 5, wallSec: 0 }];
    const chart = lossSeries(averaged, { other }, 0);
    expect(chart.steps).toEqual([1, 2, 3, 4]);
    expect(chart.series.map((s) => s.label)).toEqual(['train', 'val', 'val (average)', 'other']);
    expect(chart.series[2].values).toEqual([null, null, null, 1.8]);
    expect(chart.series[3]).toMatchObject({ values: [null, null, 5, null], dash: true });
  });

  it('parses override lines and reports bad ones', () => {
    const r = parseOverrides('# comment\nlayers = 2\nlr: 0.0004\nuseCache = true\nname = small\nbroken line');
    expect(r.values).toEqual({ layers: 2, lr: 0.0004, useCache: true, name: 'small' });
    expect(r.errors).toEqual(['line 6: expected "name = value"']);
  });
});

describe('guidance interval in the renderer', () => {
  it('sends a whole number of guided planes 0..64, and 0 without guidance or for a cleared field', () => {
    expect(cleanGuidancePlanes(3, 2)).toBe(3);
    expect(cleanGuidancePlanes(3, 1)).toBe(0);
    expect(cleanGuidancePlanes('', 2)).toBe(0);
    expect(cleanGuidancePlanes(Number.NaN, 2)).toBe(0);
    expect(cleanGuidancePlanes(-2, 2)).toBe(0);
    expect(cleanGuidancePlanes(2.6, 2)).toBe(3);
    expect(cleanGuidancePlanes(500, 2)).toBe(64);
    expect(samplingRequest({ temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: '' as unknown as number })).toEqual({ temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: 0 });
  });

  it('labels are empty without guidance and name the guided planes of an interval', () => {
    expect(guidanceLabel({ guidance: 1, guidancePlanes: 3 })).toBe('');
    expect(guidanceLabel({})).toBe('');
    expect(guidanceLabel({ guidance: 2 })).toBe('g=2');
    expect(guidanceLabel({ guidance: 2, guidancePlanes: 0 })).toBe('g=2');
    expect(guidanceLabel({ guidance: 2.5, guidancePlanes: 3 })).toBe('g=2.5 on bit-planes 1-3');
    expect(guidanceLabel({ guidance: 2, guidancePlanes: 1 })).toBe('g=2 on bit-plane 1');
    expect(withSpace('g=2')).toBe(' g=2');
    expect(withSpace('')).toBe('');
  });
});
