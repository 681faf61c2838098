/**
 * The one traversal of the blocks variant (spec 3-5): a state machine over the slots of every
 * plane. The decoder pushes tokens into it, the encoder asks it where it is and answers from
 * the true coefficients, the grammar is its legalMask(), the trace records its slots and the
 * region stepper wraps it. Used by: stepper.ts, encoder.ts, region-stepper.ts.
 */
import type { ScanTables } from './geometry';
import { CoefficientState, MASK_NOW_SIGNIFICANT, MASK_SIGNIFICANCE } from './state';
import { SLOT, TOKEN, type Stepper } from './types';

const MASK_BLOCK = (1 << TOKEN.Group4x4) | (1 << TOKEN.Group2x2) | MASK_SIGNIFICANCE;
const MASK_GROUP = (1 << TOKEN.Group2x2) | MASK_SIGNIFICANCE;

export class BlockWalker extends CoefficientState implements Stepper {
  /** Count of significant coefficients per block and per group (b * 4 + g). */
  blockSig: Int32Array;
  groupSig: Int32Array;
  block = 0;
  group = 0;
  cell = 0;
  /** The current block / group was intact at the start of this plane and has been opened. */
  blockNew = false;
  groupNew = false;
  /** Group2x2 tokens so far in a block opened this plane; Insignificant tokens so far in a new group. */
  g2Run = 0;
  insRun = 0;
  /** Coefficients that became significant so far (any plane). */
  significantCount = 0;

  constructor(tables: ScanTables, startExponent: number, planes: number, from?: BlockWalker) {
    super(tables, startExponent, planes, from);
    this.blockSig = from ? Int32Array.from(from.blockSig) : new Int32Array(tables.blockCount);
    this.groupSig = from ? Int32Array.from(from.groupSig) : new Int32Array(tables.blockCount * 4);
    if (from) {
      this.block = from.block;
      this.group = from.group;
      this.cell = from.cell;
      this.blockNew = from.blockNew;
      this.groupNew = from.groupNew;
      this.g2Run = from.g2Run;
      this.insRun = from.insRun;
      this.significantCount = from.significantCount;
    } else if (planes > 0) {
      this.enterBlock();
    }
  }

  clone(): BlockWalker {
    return new BlockWalker(this.tables, this.startExponent, this.planes, this);
  }

  /** Flat index of coefficient k of group g of the current block. */
  cellIndex(g: number, k: number): number {
    return this.tables.blockOrigin[this.block] + this.tables.cellOffset[g * 4 + k];
  }

  slotIndex(): number {
    return this.cellIndex(this.group, this.kind === SLOT.Block || this.kind === SLOT.Group ? 0 : this.cell);
  }

  protected slotMask(): number {
    switch (this.kind) {
      case SLOT.Block:
        // canonical: T0 <= max |a|, so when T0 > Tf plane 0 cannot be empty; its last block
        // must open when nothing was significant before (the run rules below then force a sign)
        return this.mustOpenLastBlock() ? MASK_BLOCK & ~(1 << TOKEN.Group4x4) : MASK_BLOCK;
      case SLOT.Group:
        // canonical: a block opened this plane cannot end with four Group2x2
        return this.blockNew && this.group === 3 && this.g2Run === 3 ? MASK_SIGNIFICANCE : MASK_GROUP;
      case SLOT.Coefficient:
        // canonical: a group opened this plane cannot end with four Insignificant
        return this.groupNew && this.cell === 3 && this.insRun === 3 ? MASK_NOW_SIGNIFICANT : MASK_SIGNIFICANCE;
      default:
        return 0;
    }
  }

  private mustOpenLastBlock(): boolean {
    return this.plane === 0 && this.planes > 1 && this.significantCount === 0 && this.block === this.tables.blockCount - 1;
  }

  protected clearTraversal(): void {
    this.significantCount = 0;
    this.blockSig.fill(0);
    this.groupSig.fill(0);
    this.block = 0;
  }

  protected enterFirstSlot(): void {
    this.enterBlock();
  }

  apply(token: number): void {
    if (this.kind === SLOT.Block) {
      if (token === TOKEN.Group4x4) {
        this.position++;
        this.nextBlock();
        return;
      }
      // no split token: this is already the first token of group 0
      this.blockNew = true;
      this.g2Run = 0;
      this.kind = SLOT.Group;
    }
    if (this.kind === SLOT.Group) {
      if (token === TOKEN.Group2x2) {
        if (this.blockNew) this.g2Run++;
        this.position++;
        this.nextGroup();
        return;
      }
      this.groupNew = true;
      this.insRun = 0;
      this.kind = SLOT.Coefficient;
    }
    this.applyCell(token);
    this.position++;
    this.nextCell();
  }

  private applyCell(token: number): void {
    const i = this.cellIndex(this.group, this.cell);
    if (token === TOKEN.Insignificant) {
      this.insRun++;
    } else if (token === TOKEN.NowSignificantPos || token === TOKEN.NowSignificantNeg) {
      this.markSignificant(i, token === TOKEN.NowSignificantNeg);
      this.significantCount++;
      this.blockSig[this.block]++;
      this.groupSig[this.block * 4 + this.group]++;
    } else {
      this.refine(i, token === TOKEN.NextAccuracy1);
    }
  }

  private nextCell(): void {
    this.cell++;
    if (this.cell === 4) {
      this.nextGroup();
      return;
    }
    this.kind = this.sig[this.cellIndex(this.group, this.cell)] === 1 ? SLOT.Refinement : SLOT.Coefficient;
  }

  private nextGroup(): void {
    this.group++;
    if (this.group === 4) {
      this.nextBlock();
      return;
    }
    this.enterGroup();
  }

  /** Group `this.group` of an open block: intact (one slot) or visited coefficient by coefficient. */
  private enterGroup(): void {
    this.cell = 0;
    if (this.groupSig[this.block * 4 + this.group] === 0) {
      this.kind = SLOT.Group;
    } else {
      this.groupNew = false;
      this.kind = this.sig[this.cellIndex(this.group, 0)] === 1 ? SLOT.Refinement : SLOT.Coefficient;
    }
  }

  private nextBlock(): void {
    this.block++;
    if (this.block === this.tables.blockCount) {
      this.block = 0;
      if (!this.nextPlane()) return;
    }
    this.enterBlock();
  }

  private enterBlock(): void {
    this.group = 0;
    this.cell = 0;
    if (this.blockSig[this.block] === 0) {
      this.kind = SLOT.Block;
    } else {
      this.blockNew = false;
      this.g2Run = 0;
      this.enterGroup();
    }
  }
}
