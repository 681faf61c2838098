/**
 * Mallat-layout geometry for the views: the level and subband of a cell, and the rectangle
 * of a subband (spec 1.5: LL 2x2 top-left; for detail size s, TR [0:s, s:2s], BL [s:2s, 0:s],
 * BR [s:2s, s:2s]).
 * Used by: lib/colormap.ts, components/MosaicCanvas.vue, TokenList.vue, RegionConstraints.vue,
 * views/RegionView.vue, stores/region.ts.
 */

export type SubbandName = 'LL' | 'TR' | 'BL' | 'BR';
export const SUBBAND_NAMES: readonly SubbandName[] = ['LL', 'TR', 'BL', 'BR'];

/** Level of the cell (row, col) of an M x M array: 0 for LL, 1 finest .. m-1 coarsest. */
export function levelAt(row: number, col: number, size: number): number {
  const span = Math.max(row, col);
  if (span < 2) return 0;
  let s = size / 2;
  let level = 1;
  while (span < s) {
    s /= 2;
    level += 1;
  }
  return level;
}

export interface SubbandRect {
  level: number;
  subband: SubbandName;
  row: number;
  col: number;
  side: number;
}

/** The subband holding cell (row, col), with its rectangle. */
export function subbandAt(row: number, col: number, size: number): SubbandRect {
  const level = levelAt(row, col, size);
  if (level === 0) return { level, subband: 'LL', row: 0, col: 0, side: 2 };
  const s = size >> level;
  const subband: SubbandName = row < s ? 'TR' : col < s ? 'BL' : 'BR';
  return { level, subband, row: subband === 'TR' ? 0 : s, col: subband === 'BL' ? 0 : s, side: s };
}

/** Number of detail levels of an M x M array (m - 1; the LL block is 2 x 2). */
export function detailLevels(size: number): number {
  return Math.round(Math.log2(size)) - 1;
}
