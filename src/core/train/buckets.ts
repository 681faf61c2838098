/**
 * Length-bucketed batch choice: sentences sorted by length, a batch is a run of
 * neighbours in that order starting at a random place, so a batch pads little.
 * Choice depends only on the injected PRNG, so a resumed run draws the same batches.
 * Used by: core/train/trainer.ts callers (worker train job), tests.
 */
import type { Prng } from '../model/prng';

export interface LengthOrder {
  /** Sentence indices sorted by length (ties by index). */
  order: Uint32Array;
}

export function lengthOrder(lengths: ArrayLike<number>, indices?: ArrayLike<number>): LengthOrder {
  const ids = indices ? Array.from(indices) : Array.from({ length: lengths.length }, (_, i) => i);
  ids.sort((a, b) => lengths[a] - lengths[b] || a - b);
  return { order: Uint32Array.from(ids) };
}

/** `batchSize` indices of similar length, from a random start in the length order. */
export function pickBucketBatch(bucket: LengthOrder, batchSize: number, rng: Prng): number[] {
  const n = bucket.order.length;
  if (n === 0) throw new Error('no sentences to batch');
  const size = Math.min(batchSize, n);
  const start = rng.int(n - size + 1);
  return Array.from(bucket.order.subarray(start, start + size));
}

/** Splits one batch into micro-batches of at most `micro` sentences. */
export function splitMicro(indices: readonly number[], micro: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += micro) out.push(indices.slice(i, i + micro));
  return out;
}
