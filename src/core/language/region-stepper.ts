/**
 * Region regeneration (spec 7): a stepper whose legal tokens are the grammar intersected with
 * "every coefficient that is not free ends up exactly as in the source". It wraps the shared
 * blocks walker and reasons per coefficient and plane about the source's event (stays
 * insignificant, becomes significant +/-, refinement bit), so block and group tokens are
 * legal only when their locked coefficients agree, and no choice can lead to a dead end.
 *
 * Free coefficient: owned, with an allowed level and subband, at an allowed plane, or one
 * that has already departed from the source. Locked coefficients have the source's state.
 * Used by: core/sample (region regeneration), the renderer (edit preview).
 */
import { createWalker } from './stepper';
import { MASK_NOW_SIGNIFICANT, tokenAtThreshold } from './state';
import { LanguageError, SLOT, TOKEN, type Geometry, type RegionAllow, type RegionStepper, type TokenizerConfig } from './types';
import { BlockWalker } from './walker';

/** Per-coefficient source state at the end of the source sentence. */
interface SourceState {
  sig: Uint8Array;
  neg: Uint8Array;
  lo: Float64Array;
}

const CELL_FREE = 0;
const CELL_MUST = 1; // locked, becomes significant now
const CELL_QUIET = 2; // locked, stays insignificant now
const HAS_MUST = 1;
const HAS_OPEN = 2;

class ConstrainedStepper implements RegionStepper {
  private readonly w: BlockWalker;
  private readonly src: SourceState;
  /** 1 = owned and in an allowed level / subband. */
  private readonly freeCell: Uint8Array;
  private readonly planeAllowed: Uint8Array;
  private readonly diverged: Uint8Array;

  constructor(w: BlockWalker, src: SourceState, freeCell: Uint8Array, planeAllowed: Uint8Array, diverged: Uint8Array) {
    this.w = w;
    this.src = src;
    this.freeCell = freeCell;
    this.planeAllowed = planeAllowed;
    this.diverged = diverged;
  }

  get done(): boolean {
    return this.w.done;
  }
  get position(): number {
    return this.w.position;
  }

  /** The token the source gives coefficient i at the current plane (Ins, Pos, Neg, Acc0, Acc1). */
  private sourceToken(i: number): number {
    if (this.src.sig[i] === 0) return TOKEN.Insignificant;
    return tokenAtThreshold(this.src.lo[i], this.src.neg[i] === 1, this.w.threshold);
  }

  private isFree(i: number): boolean {
    return this.diverged[i] === 1 || (this.freeCell[i] === 1 && this.planeAllowed[this.w.plane] === 1);
  }

  /** Class of a not-yet-significant coefficient: free, must become significant, or must stay quiet. */
  private cellClass(i: number): number {
    if (this.isFree(i)) return CELL_FREE;
    return this.sourceToken(i) === TOKEN.Insignificant ? CELL_QUIET : CELL_MUST;
  }

  /**
   * Over groups g0..g1 (from cell k0 of the first): bit HAS_MUST when a cell must become
   * significant, bit HAS_OPEN when any cell can (a number, so the sampler's loop allocates nothing).
   */
  private scan(g0: number, k0: number, g1: number): number {
    let bits = 0;
    for (let g = g0; g <= g1; g++) {
      for (let k = g === g0 ? k0 : 0; k < 4; k++) {
        const c = this.cellClass(this.w.cellIndex(g, k));
        if (c === CELL_MUST) bits |= HAS_MUST;
        if (c !== CELL_QUIET) bits |= HAS_OPEN;
      }
    }
    return bits;
  }

  /** Legal significance tokens at cell k of group g, opened this plane when `fresh`. */
  private cellMask(g: number, k: number, fresh: boolean, insRun: number): number {
    const i = this.w.cellIndex(g, k);
    const c = this.cellClass(i);
    const needSig = fresh && insRun === k && !(k < 3 && (this.scan(g, k + 1, g) & HAS_OPEN) !== 0);
    if (c !== CELL_FREE) {
      const t = this.sourceToken(i);
      return t === TOKEN.Insignificant && needSig ? 0 : 1 << t;
    }
    return needSig ? MASK_NOW_SIGNIFICANT : MASK_NOW_SIGNIFICANT | (1 << TOKEN.Insignificant);
  }

  /** Legal tokens at an intact group slot (the block opened this plane when blockNew). */
  private groupMask(g: number): number {
    const w = this.w;
    let mask = this.cellMask(g, 0, true, 0);
    const mustHere = (this.scan(g, 0, g) & HAS_MUST) !== 0;
    const lastChance = w.blockNew && w.g2Run === g;
    if (!mustHere && (!lastChance || (g < 3 && (this.scan(g + 1, 0, 3) & HAS_OPEN) !== 0))) mask |= 1 << TOKEN.Group2x2;
    return mask;
  }

  legalMask(): number {
    const w = this.w;
    let mask: number;
    switch (w.kind) {
      case SLOT.Block: {
        const all = this.scan(0, 0, 3);
        mask = (all & HAS_MUST) !== 0 ? 0 : 1 << TOKEN.Group4x4;
        if ((all & HAS_OPEN) !== 0) {
          // opening: group 0 is the first group of a block opened now (as if blockNew, g2Run 0)
          mask |= this.cellMask(0, 0, true, 0);
          if ((this.scan(0, 0, 0) & HAS_MUST) === 0 && (this.scan(1, 0, 3) & HAS_OPEN) !== 0) mask |= 1 << TOKEN.Group2x2;
        }
        break;
      }
      case SLOT.Group:
        mask = this.groupMask(w.group);
        break;
      case SLOT.Coefficient:
        mask = this.cellMask(w.group, w.cell, w.groupNew, w.insRun);
        break;
      case SLOT.Refinement: {
        const i = w.cellIndex(w.group, w.cell);
        mask = this.isFree(i) ? w.legalMask() : 1 << this.sourceToken(i);
        break;
      }
      default:
        return 0;
    }
    return mask & w.legalMask();
  }

  forcedToken(): number {
    const mask = this.legalMask();
    return mask !== 0 && (mask & (mask - 1)) === 0 ? 31 - Math.clz32(mask) : -1;
  }

  /** Marks the coefficients this token covers as departed where they differ from the source. */
  private noteDepartures(token: number): void {
    const w = this.w;
    if (w.kind === SLOT.Block && token === TOKEN.Group4x4) this.cover(0, 3);
    else if ((w.kind === SLOT.Block || w.kind === SLOT.Group) && token === TOKEN.Group2x2) this.cover(w.group, w.group);
    else this.depart(w.cellIndex(w.group, w.kind === SLOT.Block || w.kind === SLOT.Group ? 0 : w.cell), token);
  }

  /** Groups g0..g1 were coded insignificant as a whole. */
  private cover(g0: number, g1: number): void {
    for (let g = g0; g <= g1; g++) for (let k = 0; k < 4; k++) this.depart(this.w.cellIndex(g, k), TOKEN.Insignificant);
  }

  private depart(i: number, token: number): void {
    if (this.diverged[i] === 0 && this.sourceToken(i) !== token) this.diverged[i] = 1;
  }

  push(token: number): void {
    if (!this.w.done && Number.isInteger(token) && token >= 0 && token <= 6 && ((this.w.legalMask() >> token) & 1) === 1) {
      if (((this.legalMask() >> token) & 1) === 0) {
        throw new LanguageError(this.w.position, `token ${token} would change a coefficient outside the region (plane ${this.w.plane})`);
      }
      this.noteDepartures(token);
    }
    this.w.push(token); // throws the grammar's own errors
  }

  nextSlot(): ReturnType<BlockWalker['nextSlot']> {
    return this.w.nextSlot();
  }
  writeSlot(out: Int16Array | Int32Array, at: number): void {
    this.w.writeSlot(out, at);
  }
  coefficients(): Float64Array {
    return this.w.coefficients();
  }
  clone(): RegionStepper {
    return new ConstrainedStepper(this.w.clone(), this.src, this.freeCell, this.planeAllowed, Uint8Array.from(this.diverged));
  }
}

/** The start of the message every caller shows when a model's variant cannot edit regions. */
export const REGION_VARIANT_MESSAGE = 'region editing needs the blocks variant';

/**
 * Throws a RangeError (BAD_REQUEST at the API and CLI boundaries) unless the tokenizer uses
 * the blocks variant: region regeneration walks block slots, which the zerotree variant has not.
 */
export function assertRegionVariant(config: TokenizerConfig): void {
  if (config.variant !== 'blocks') {
    throw new RangeError(`${REGION_VARIANT_MESSAGE}: this model codes images with the ${String(config.variant)} variant (train one with the blocks variant to edit regions)`);
  }
}

/**
 * A stepper that regenerates the owned coefficients [size * size] of a complete source
 * sentence and keeps everything else exactly as in the source. Blocks variant only.
 */
export function createRegionStepper(
  source: { tokens: ArrayLike<number>; startExponent: number },
  geometry: Geometry,
  config: TokenizerConfig,
  owned: Uint8Array,
  allow: RegionAllow = {},
): RegionStepper {
  assertRegionVariant(config);
  const sw = createWalker(source.startExponent, geometry, config) as BlockWalker;
  let used = 0;
  for (; used < source.tokens.length && !sw.done; used++) sw.push(source.tokens[used]);
  if (!sw.done) throw new LanguageError(source.tokens.length, 'the source sentence is incomplete');
  // a longer sentence was coded with another tokenizer (e.g. a lower final threshold): refuse it
  if (used < source.tokens.length) throw new LanguageError(used, `the source sentence goes on after its last plane (${source.tokens.length - used} extra tokens): it was coded with another tokenizer than the model's`);
  const N = geometry.size * geometry.size;
  if (owned.length !== N) throw new RangeError(`owned needs ${N} entries, got ${owned.length}`);
  const { level, subband } = sw.tables;
  const freeCell = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    const levelOk = allow.levels === undefined || allow.levels.includes(level[i]);
    const subbandOk = allow.subbands === undefined || (allow.subbands as number[]).includes(subband[i]);
    freeCell[i] = owned[i] !== 0 && levelOk && subbandOk ? 1 : 0;
  }
  const planeAllowed = new Uint8Array(sw.planes);
  for (let p = 0; p < sw.planes; p++) planeAllowed[p] = allow.planes === undefined || allow.planes.includes(p) ? 1 : 0;
  const w = createWalker(source.startExponent, geometry, config) as BlockWalker;
  return new ConstrainedStepper(w, { sig: sw.sig, neg: sw.neg, lo: sw.lo }, freeCell, planeAllowed, new Uint8Array(N));
}
