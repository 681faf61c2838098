/**
 * Coefficient state shared by both walkers: significance, sign and the interval that holds
 * abs(a) (spec 4, reconstruction), plus the plane / threshold bookkeeping.
 * Used by: walker.ts (blocks variant) and zerotree.ts.
 */
import type { ScanTables } from './geometry';
import { LanguageError, SLOT, TOKEN, TOKEN_NAMES, type SlotInfo, type SlotKind, type SubbandId } from './types';

export const MASK_REFINEMENT = (1 << TOKEN.NextAccuracy0) | (1 << TOKEN.NextAccuracy1);
export const MASK_SIGNIFICANCE = (1 << TOKEN.Insignificant) | (1 << TOKEN.NowSignificantPos) | (1 << TOKEN.NowSignificantNeg);
export const MASK_NOW_SIGNIFICANT = (1 << TOKEN.NowSignificantPos) | (1 << TOKEN.NowSignificantNeg);
export const SLOT_NAMES = ['intact block', 'intact group', 'insignificant coefficient', 'significant coefficient (refinement)', 'zero-tree root candidate'];

/**
 * The token a coefficient of the given magnitude and sign gets at threshold T (spec 4):
 * already significant (magnitude >= 2T) -> its refinement bit at T; significant now
 * (T <= magnitude < 2T) -> Pos / Neg; otherwise Insignificant. T is a power of two, so the
 * division is exact. The one rule behind the encoder, region regeneration and the LL start.
 */
export function tokenAtThreshold(magnitude: number, negative: boolean, T: number): number {
  if (magnitude >= 2 * T) return (Math.floor(magnitude / T) & 1) === 1 ? TOKEN.NextAccuracy1 : TOKEN.NextAccuracy0;
  if (magnitude >= T) return negative ? TOKEN.NowSignificantNeg : TOKEN.NowSignificantPos;
  return TOKEN.Insignificant;
}

export abstract class CoefficientState {
  readonly tables: ScanTables;
  startExponent: number;
  planes: number;
  /** 1 = significant; 1 = negative; interval [lo, lo + width) of abs(a). */
  sig: Uint8Array;
  neg: Uint8Array;
  lo: Float64Array;
  width: Float64Array;
  plane = 0;
  threshold: number;
  /** Current slot kind (SLOT.*), -1 when the sentence is complete. */
  kind = -1;
  position = 0;

  protected constructor(tables: ScanTables, startExponent: number, planes: number, from?: CoefficientState) {
    this.tables = tables;
    this.startExponent = startExponent;
    this.planes = planes;
    const N = tables.size * tables.size;
    this.sig = from ? Uint8Array.from(from.sig) : new Uint8Array(N);
    this.neg = from ? Uint8Array.from(from.neg) : new Uint8Array(N);
    this.lo = from ? Float64Array.from(from.lo) : new Float64Array(N);
    this.width = from ? Float64Array.from(from.width) : new Float64Array(N);
    this.threshold = 2 ** startExponent;
    if (from) {
      this.plane = from.plane;
      this.threshold = from.threshold;
      this.kind = from.kind;
      this.position = from.position;
    }
  }

  /** Back to the first slot of a new sentence, keeping the arrays (encoder reuse). */
  reset(startExponent: number, planes: number): void {
    this.startExponent = startExponent;
    this.planes = planes;
    this.sig.fill(0);
    this.neg.fill(0);
    this.lo.fill(0);
    this.width.fill(0);
    this.plane = 0;
    this.threshold = 2 ** startExponent;
    this.kind = -1;
    this.position = 0;
    this.clearTraversal();
    if (planes > 0) this.enterFirstSlot();
  }

  get done(): boolean {
    return this.kind < 0;
  }

  /** Flat index of the top-left coefficient of the current slot. */
  abstract slotIndex(): number;
  /** Legal tokens at the variant's own slot kinds (block, group, tree, coefficient). */
  protected abstract slotMask(): number;
  /** Applies a token known to be legal (the encoder's fast path; push() checks first). */
  abstract apply(token: number): void;
  /** reset(): clears the variant's own bookkeeping, then moves to plane 0's first slot. */
  protected abstract clearTraversal(): void;
  protected abstract enterFirstSlot(): void;

  /** The grammar at the current slot: refinement and the end are alike in both variants. */
  legalMask(): number {
    if (this.kind === SLOT.Refinement) return MASK_REFINEMENT;
    return this.kind < 0 ? 0 : this.slotMask();
  }

  push(token: number): void {
    this.check(token);
    this.apply(token);
  }

  /** Throws LanguageError unless `token` is legal at the current slot. */
  protected check(token: number): void {
    if (this.kind < 0) throw new LanguageError(this.position, 'the sentence is already complete');
    if (!Number.isInteger(token) || token < 0 || token > 6) throw new LanguageError(this.position, `token id ${String(token)} is not in 0..6`);
    if (((this.legalMask() >> token) & 1) === 0) {
      const at = this.slotIndex();
      const M = this.tables.size;
      throw new LanguageError(this.position, `${TOKEN_NAMES[token]} is illegal at the ${SLOT_NAMES[this.kind]} slot (plane ${this.plane}, row ${Math.floor(at / M)}, col ${at % M})`);
    }
  }

  /** A coefficient becomes significant at the current threshold. */
  protected markSignificant(i: number, negative: boolean): void {
    this.sig[i] = 1;
    this.neg[i] = negative ? 1 : 0;
    this.lo[i] = this.threshold;
    this.width[i] = this.threshold;
  }

  /** Refinement: keep the upper (bit 1) or lower half of the interval. */
  protected refine(i: number, bit: boolean): void {
    const w = this.width[i] / 2;
    this.width[i] = w;
    if (bit) this.lo[i] += w;
  }

  /** Next plane, or the end of the sentence. Returns false when complete. */
  protected nextPlane(): boolean {
    this.plane++;
    if (this.plane >= this.planes) {
      this.kind = -1;
      return false;
    }
    this.threshold = 2 ** (this.startExponent - this.plane);
    return true;
  }

  coefficients(): Float64Array {
    const N = this.sig.length;
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      if (this.sig[i] === 0) continue;
      const v = this.lo[i] + this.width[i] / 2;
      out[i] = this.neg[i] === 1 ? -v : v;
    }
    return out;
  }

  writeSlot(out: Int16Array | Int32Array, at: number): void {
    if (this.kind < 0) {
      out.fill(0, at, at + 5);
      out[at + 5] = -1;
      return;
    }
    const i = this.slotIndex();
    const M = this.tables.size;
    out[at] = this.plane;
    out[at + 1] = Math.floor(i / M);
    out[at + 2] = i % M;
    out[at + 3] = this.tables.level[i];
    out[at + 4] = this.tables.subband[i];
    out[at + 5] = this.kind;
  }

  nextSlot(): SlotInfo | null {
    if (this.kind < 0) return null;
    const i = this.slotIndex();
    const M = this.tables.size;
    return {
      plane: this.plane,
      row: Math.floor(i / M),
      col: i % M,
      level: this.tables.level[i],
      subband: this.tables.subband[i] as SubbandId,
      kind: this.kind as SlotKind,
    };
  }
}
