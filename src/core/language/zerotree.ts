/**
 * The traversal of the zero-tree variant (config.variant === 'zerotree'). Token id 0
 * (Group4x4 in the blocks variant) means ZeroTree here: this coefficient and all its
 * descendants are insignificant at this plane, and the descendants get no token. There are
 * no 2 x 2 group tokens (id 1 never occurs).
 *
 * Per plane, coefficients are visited in the block scan order (parents before children);
 * a coefficient below a ZeroTree of this plane is skipped. A coefficient is a tree slot
 * (ZeroTree, Insignificant, Pos, Neg) when it is not yet significant, has descendants and
 * none of them is significant yet; otherwise it is an ordinary coefficient or refinement
 * slot. Children: LL (r, c) -> (r, c+2), (r+2, c), (r+2, c+2) as in EZW; a detail
 * coefficient (r, c) -> (2r..2r+1, 2c..2c+1).
 *
 * The grammar here is decodable but not canonical in one respect: an Insignificant at a
 * tree slot whose descendants all stay insignificant is accepted (the encoder never emits it).
 * Skipping costs O(size^2) per plane at most, independent of the token count.
 * Used by: stepper.ts, encoder.ts.
 */
import type { ScanTables } from './geometry';
import { CoefficientState, MASK_SIGNIFICANCE } from './state';
import { SLOT, TOKEN, type Stepper } from './types';

export const ZERO_TREE = TOKEN.Group4x4;
const MASK_TREE = (1 << ZERO_TREE) | MASK_SIGNIFICANCE;

export class ZeroTreeWalker extends CoefficientState implements Stepper {
  /** Cursor in tables.order. */
  cursor = 0;
  /** plane + 1 where a coefficient is a ZeroTree root or lies below one in that plane. */
  mark: Int32Array;
  /** Number of significant descendants of every coefficient. */
  sigDesc: Int32Array;

  constructor(tables: ScanTables, startExponent: number, planes: number, from?: ZeroTreeWalker) {
    super(tables, startExponent, planes, from);
    const N = tables.size * tables.size;
    this.mark = from ? Int32Array.from(from.mark) : new Int32Array(N);
    this.sigDesc = from ? Int32Array.from(from.sigDesc) : new Int32Array(N);
    if (from) this.cursor = from.cursor;
    else if (planes > 0) this.settle();
  }

  clone(): ZeroTreeWalker {
    return new ZeroTreeWalker(this.tables, this.startExponent, this.planes, this);
  }

  slotIndex(): number {
    return this.tables.order[this.cursor];
  }

  protected slotMask(): number {
    switch (this.kind) {
      case SLOT.Tree:
        return MASK_TREE;
      case SLOT.Coefficient:
        return MASK_SIGNIFICANCE;
      default:
        return 0;
    }
  }

  protected clearTraversal(): void {
    this.mark.fill(0);
    this.sigDesc.fill(0);
    this.cursor = 0;
  }

  protected enterFirstSlot(): void {
    this.settle();
  }

  apply(token: number): void {
    const i = this.tables.order[this.cursor];
    if (token === ZERO_TREE) {
      this.mark[i] = this.plane + 1;
    } else if (token === TOKEN.NowSignificantPos || token === TOKEN.NowSignificantNeg) {
      this.markSignificant(i, token === TOKEN.NowSignificantNeg);
      for (let a = this.tables.parent[i]; a >= 0; a = this.tables.parent[a]) this.sigDesc[a]++;
    } else if (token === TOKEN.NextAccuracy0 || token === TOKEN.NextAccuracy1) {
      this.refine(i, token === TOKEN.NextAccuracy1);
    }
    this.position++;
    this.cursor++;
    this.settle();
  }

  /** Moves the cursor to the next coefficient that gets a token (skipping zero-tree members). */
  private settle(): void {
    const { order, parent, hasChildren } = this.tables;
    const N = order.length;
    for (;;) {
      if (this.cursor === N) {
        this.cursor = 0;
        if (!this.nextPlane()) return;
      }
      const i = order[this.cursor];
      const p = parent[i];
      if (p >= 0 && this.mark[p] === this.plane + 1) {
        this.mark[i] = this.plane + 1;
        this.cursor++;
        continue;
      }
      if (this.sig[i] === 1) this.kind = SLOT.Refinement;
      else if (hasChildren[i] === 1 && this.sigDesc[i] === 0) this.kind = SLOT.Tree;
      else this.kind = SLOT.Coefficient;
      return;
    }
  }
}
