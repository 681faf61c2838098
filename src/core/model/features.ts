/**
 * Input features of the wavelet-language transformer, built in plain typed arrays.
 *
 * Position i of a sentence reads token i-1 (a "start" marker at i = 0) and predicts
 * token i. Its feature vector is a concatenation (shared/design/wavelet-language.md §6):
 *   token one-hot (7 tokens + start) | start-exponent one-hot | class one-hot |
 *   slot of the token read | slot of the token to predict (only with nextSlotFeatures)
 * A slot is encoded as: plane one-hot, level one-hot, subband one-hot, kind one-hot (only
 * in the extended mode; the paper has no kind), and the position inside its subband as
 * two scalars u, v in (0, 1) plus sin/cos pairs at 1, 2, 4, ... cycles per subband.
 * Why this position code: level + subband + (u, v) make one coefficient's place in the
 * image explicit and comparable across levels (the same u, v is the same image area at
 * every level), which a raw (row, col) one-hot over the Mallat array would hide; the
 * sinusoids give the linear input map a resolution of one block at the finest level.
 * Used by: core/model/batch.ts (training), core/sample (sampling), tests.
 */
import type { ModelConfig } from './config';

export const TOKEN_FEATURES = 8; // 7 tokens + the start marker
export const START_TOKEN = 7;
const SUBBANDS = 4;
const KINDS = 5;

export interface FeatureLayout {
  size: number;
  exponentOffset: number;
  classOffset: number;
  currentSlotOffset: number;
  nextSlotOffset: number; // -1 when next-slot features are off
  slotSize: number;
  withKind: boolean;
}

/** Where a slot sits; the fields of language's SlotInfo / trace arrays. kind < 0: none. */
export interface SlotFields {
  plane: number;
  row: number;
  col: number;
  level: number;
  subband: number;
  kind: number;
}

export function featureLayout(config: Pick<ModelConfig, 'numClasses' | 'exponentCount' | 'maxPlanes' | 'maxLevels' | 'positionFrequencies' | 'nextSlotFeatures'>): FeatureLayout {
  const withKind = config.nextSlotFeatures;
  const slotSize = config.maxPlanes + config.maxLevels + 1 + SUBBANDS + (withKind ? KINDS : 0) + 2 + 4 * config.positionFrequencies;
  const exponentOffset = TOKEN_FEATURES;
  const classOffset = exponentOffset + config.exponentCount;
  const currentSlotOffset = classOffset + config.numClasses;
  const nextSlotOffset = config.nextSlotFeatures ? currentSlotOffset + slotSize : -1;
  const size = currentSlotOffset + slotSize * (config.nextSlotFeatures ? 2 : 1);
  return { size, exponentOffset, classOffset, currentSlotOffset, nextSlotOffset, slotSize, withKind };
}

const clampIndex = (v: number, n: number): number => (v < 0 ? 0 : v >= n ? n - 1 : v);

/** Side of a subband at `level` in an M x M Mallat array (LL and the coarsest level: 2). */
function subbandSide(level: number, size: number): number {
  return level === 0 ? 2 : size >> level;
}

/** Writes one slot's code at out[offset ..]; out must be zeroed there. */
export function writeSlot(out: Float32Array, offset: number, slot: SlotFields, size: number, config: ModelConfig, withKind: boolean): void {
  let o = offset;
  out[o + clampIndex(slot.plane, config.maxPlanes)] = 1;
  o += config.maxPlanes;
  out[o + clampIndex(slot.level, config.maxLevels + 1)] = 1;
  o += config.maxLevels + 1;
  out[o + clampIndex(slot.subband, SUBBANDS)] = 1;
  o += SUBBANDS;
  if (withKind) {
    if (slot.kind >= 0) out[o + clampIndex(slot.kind, KINDS)] = 1;
    o += KINDS;
  }
  const side = subbandSide(slot.level, size);
  const rowIn = slot.subband === 2 || slot.subband === 3 ? slot.row - side : slot.row;
  const colIn = slot.subband === 1 || slot.subband === 3 ? slot.col - side : slot.col;
  const u = (rowIn + 0.5) / side;
  const v = (colIn + 0.5) / side;
  out[o++] = u;
  out[o++] = v;
  for (let k = 0; k < config.positionFrequencies; k++) {
    const w = 2 * Math.PI * (1 << k);
    out[o++] = Math.sin(w * u);
    out[o++] = Math.cos(w * u);
    out[o++] = Math.sin(w * v);
    out[o++] = Math.cos(w * v);
  }
}

/** Class index of an unconditional position: the class one-hot stays all zero. */
export const NO_CLASS = -1;

export interface PositionInput {
  /** Token read at this position, or START_TOKEN at position 0. */
  token: number;
  /** Slot of that token (null for the start marker). */
  current: SlotFields | null;
  /** Slot of the token to predict (null at the end of a sentence). */
  next: SlotFields | null;
  startExponent: number;
  /** Class of the sentence, or NO_CLASS. */
  classIndex: number;
  /** Side M of the padded square. */
  size: number;
}

/** Writes the full feature vector of one position at out[offset .. offset + layout.size), zeroing it first. */
export function writePosition(out: Float32Array, offset: number, input: PositionInput, layout: FeatureLayout, config: ModelConfig): void {
  out.fill(0, offset, offset + layout.size);
  out[offset + clampIndex(input.token, TOKEN_FEATURES)] = 1;
  out[offset + layout.exponentOffset + clampIndex(input.startExponent - config.exponentMin, config.exponentCount)] = 1;
  // NO_CLASS leaves the class one-hot all zero: the unconditional input of guidance
  if (input.classIndex !== NO_CLASS) out[offset + layout.classOffset + clampIndex(input.classIndex, config.numClasses)] = 1;
  if (input.current) writeSlot(out, offset + layout.currentSlotOffset, input.current, input.size, config, layout.withKind);
  if (layout.nextSlotOffset >= 0 && input.next && input.next.kind >= 0) {
    writeSlot(out, offset + layout.nextSlotOffset, input.next, input.size, config, layout.withKind);
  }
}

/** The trace of a sentence as typed arrays of length n + 1 (language's traceSentence). */
export interface SentenceTrace {
  plane: ArrayLike<number>;
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  level: ArrayLike<number>;
  subband: ArrayLike<number>;
  kind: ArrayLike<number>;
}

export function slotOf(trace: SentenceTrace, i: number): SlotFields {
  return { plane: trace.plane[i], row: trace.row[i], col: trace.col[i], level: trace.level[i], subband: trace.subband[i], kind: trace.kind[i] };
}

/**
 * Features of positions [0, length) of one sentence into out (row-major [length, F]).
 * classOf lets a position carry its own class (region prompting); default: one class.
 */
export function writeSentence(
  out: Float32Array,
  offset: number,
  tokens: ArrayLike<number>,
  trace: SentenceTrace,
  length: number,
  meta: { startExponent: number; classIndex: number; size: number; classOf?: (i: number) => number },
  layout: FeatureLayout,
  config: ModelConfig,
): void {
  for (let i = 0; i < length; i++) {
    writePosition(out, offset + i * layout.size, {
      token: i === 0 ? START_TOKEN : tokens[i - 1],
      current: i === 0 ? null : slotOf(trace, i - 1),
      next: slotOf(trace, i),
      startExponent: meta.startExponent,
      classIndex: meta.classOf ? meta.classOf(i) : meta.classIndex,
      size: meta.size,
    }, layout, config);
  }
}
