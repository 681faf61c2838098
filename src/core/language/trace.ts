/**
 * Positions of every token of a sentence (spec 5): the slot each token fills, and the slot
 * after the last token. The model uses slot i as the position of token i and slot i + 1 as
 * the "next slot" features. Used by: core/model features, the token cache, the inspector.
 */
import { createStepper } from './stepper';
import type { Geometry, SentenceTrace, TokenizerConfig } from './types';

/** Traces a sentence or prefix; throws LanguageError on an illegal token. Arrays have n + 1 entries. */
export function traceSentence(tokens: ArrayLike<number>, startExponent: number, geometry: Geometry, config: TokenizerConfig): SentenceTrace {
  const n = tokens.length;
  const s = createStepper(startExponent, geometry, config);
  const slot = new Int16Array(6);
  const t: SentenceTrace = {
    length: n,
    complete: false,
    plane: new Int16Array(n + 1),
    row: new Int16Array(n + 1),
    col: new Int16Array(n + 1),
    level: new Int16Array(n + 1),
    subband: new Int16Array(n + 1),
    kind: new Int16Array(n + 1),
  };
  for (let i = 0; i <= n; i++) {
    s.writeSlot(slot, 0);
    t.plane[i] = slot[0];
    t.row[i] = slot[1];
    t.col[i] = slot[2];
    t.level[i] = slot[3];
    t.subband[i] = slot[4];
    t.kind[i] = slot[5];
    if (i < n) s.push(tokens[i]);
  }
  t.complete = s.done;
  return t;
}

/** Token index at which each plane begins (planes that have begun only). */
export function planeStarts(trace: SentenceTrace): number[] {
  const starts: number[] = [];
  for (let i = 0; i < trace.length; i++) {
    if (trace.plane[i] === starts.length) starts.push(i);
  }
  return starts;
}
