/**
 * The generation loop: several sentences in lockstep, one token per step, under the
 * grammar of each row's stepper. Every step builds the rows' features in typed arrays,
 * runs the model on the new position with a KV cache (or on the whole prefix without
 * one: the reference path, used by tests to prove the cache exact), masks illegal tokens
 * and draws from each row's own PRNG. Tokens can be fed instead of drawn: a rollback
 * prefix, or a region stepper's forced tokens (spec §7). With classifier-free guidance
 * every row runs twice, with its class and with none, and draws from the mixed logits (on
 * the first `guidancePlanes` bit-planes only when that interval is set: once every row is
 * past them the class-free rows leave the batch, so the finer planes cost one pass).
 * Used by: core/sample/sampler.ts, core/sample/edit.ts, tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { Stepper } from '../language';
import { NO_CLASS, START_TOKEN, writePosition, type SlotFields } from '../model/features';
import { disposeCache, VOCAB, type Gpt, type KvCache } from '../model/gpt';
import type { Prng } from '../model/prng';
import { yieldToEventLoop, type CancelSignal } from '../model/runtime';
import { chooseToken, guideLogits, type SamplingSettings } from './choose';

export interface GenerationRow {
  stepper: Stepper & { forcedToken?(): number };
  startExponent: number;
  classIndex: number;
  /** Class of the position that predicts `slot` (region prompting); default classIndex. */
  classAt?(slot: SlotFields): number;
  rng: Prng;
  /** Tokens fed before any are drawn (rollback). */
  prefix?: ArrayLike<number>;
  /** Narrows the legal tokens at a slot (robust start); returns a token bit mask. */
  constrain?(slot: SlotFields, legal: number): number;
}

export type GenerateEvent =
  | { type: 'tokens'; row: number; tokens: number[]; length: number; startExponent: number }
  | { type: 'progress'; step: number; active: number; context: number };

export interface GenerateOptions {
  sampling: SamplingSettings;
  /** Side M of the padded square. */
  size: number;
  useCache?: boolean;
  /** A 'tokens' event per row every N tokens (and at its end). */
  previewEvery?: number;
  onEvent?(event: GenerateEvent): void;
  signal?: CancelSignal;
}

export interface GeneratedRow {
  tokens: Uint8Array;
  /** False when the model context ran out before the sentence ended (the prefix still decodes). */
  complete: boolean;
}

export class GenerationError extends Error {
  readonly code: 'CANCELLED' | 'BAD_TOKENS';
  constructor(code: 'CANCELLED' | 'BAD_TOKENS', message: string) {
    super(message);
    this.name = 'GenerationError';
    this.code = code;
  }
}

const slotFrom = (buf: Int16Array): SlotFields => ({ plane: buf[0], row: buf[1], col: buf[2], level: buf[3], subband: buf[4], kind: buf[5] });

/** Decides the token of one active row at this step. */
function decideToken(row: GenerationRow, step: number, slot: SlotFields, logits: Float32Array, offset: number, sampling: SamplingSettings): number {
  const legal = row.stepper.legalMask();
  if (row.prefix && step < row.prefix.length) {
    const token = row.prefix[step];
    if (!((legal >> token) & 1)) throw new GenerationError('BAD_TOKENS', `prefix token ${step} (${token}) is not legal at its slot`);
    return token;
  }
  const forced = row.stepper.forcedToken ? row.stepper.forcedToken() : -1;
  if (forced >= 0) return forced;
  const narrowed = row.constrain ? row.constrain(slot, legal) & legal : legal;
  return chooseToken(logits, offset, VOCAB, narrowed !== 0 ? narrowed : legal, sampling, row.rng);
}

/** The cache of the first `rows` batch rows only; the given cache is disposed. */
function keepFirstRows(cache: KvCache, rows: number): KvCache {
  const kept = cache.map(({ k, v }) => ({
    k: tf.slice(k, [0, 0, 0, 0], [rows, -1, -1, -1]),
    v: tf.slice(v, [0, 0, 0, 0], [rows, -1, -1, -1]),
  }));
  disposeCache(cache);
  return kept;
}

export async function generate(model: Gpt, rows: readonly GenerationRow[], options: GenerateOptions): Promise<GeneratedRow[]> {
  const B = rows.length;
  const F = model.layout.size;
  const T = model.config.context;
  const useCache = options.useCache ?? true;
  const scale = options.sampling.guidance ?? 1;
  if (!(scale >= 0 && Number.isFinite(scale))) throw new RangeError(`guidance must be a finite number >= 0, got ${scale}`);
  const guidedPlanes = options.sampling.guidancePlanes ?? 0;
  if (!(Number.isInteger(guidedPlanes) && guidedPlanes >= 0)) throw new RangeError(`guidancePlanes must be an integer >= 0, got ${guidedPlanes}`);
  // guided: model rows [0, B) carry the class, rows [B, 2B) the same sentences without it
  let copies = scale === 1 ? 1 : 2;
  let R = copies * B;
  const history = new Float32Array(R * T * F); // [R, T, F]: every position's features
  const mixed = new Float32Array(VOCAB);
  const out = rows.map(() => [] as number[]);
  const previous: (SlotFields | null)[] = rows.map(() => null);
  const emitted = rows.map(() => 0);
  const slotBuf = new Int16Array(6);
  let cache: KvCache | null = null;
  const flush = (r: number, force: boolean): void => {
    const every = options.previewEvery ?? 0;
    if (!options.onEvent || (!force && (every <= 0 || out[r].length - emitted[r] < every))) return;
    if (out[r].length === emitted[r]) return;
    options.onEvent({ type: 'tokens', row: r, tokens: out[r].slice(emitted[r]), length: out[r].length, startExponent: rows[r].startExponent });
    emitted[r] = out[r].length;
  };
  try {
    for (let s = 0; s < T && rows.some((row) => !row.stepper.done); s++) {
      if (options.signal?.aborted) throw new GenerationError('CANCELLED', 'sampling cancelled');
      const nextSlots = rows.map((row, r) => {
        const active = !row.stepper.done;
        if (active) row.stepper.writeSlot(slotBuf, 0);
        const next = active ? slotFrom(slotBuf) : null;
        const position = {
          token: s === 0 || !active ? START_TOKEN : out[r][s - 1],
          current: active ? previous[r] : null,
          next,
          startExponent: row.startExponent,
          classIndex: next && row.classAt ? row.classAt(next) : row.classIndex,
          size: options.size,
        };
        writePosition(history, (r * T + s) * F, position, model.layout, model.config);
        if (copies === 2) writePosition(history, ((B + r) * T + s) * F, { ...position, classIndex: NO_CLASS }, model.layout, model.config);
        return next;
      });
      // once every row is past the guided planes the unguided copies are no longer read: drop them
      if (copies === 2 && guidedPlanes > 0 && nextSlots.every((slot) => slot === null || slot.plane >= guidedPlanes)) {
        copies = 1;
        R = B;
        if (cache) cache = keepFirstRows(cache, B);
      }
      const t = useCache ? 1 : s + 1;
      const feats = new Float32Array(R * t * F);
      for (let r = 0; r < R; r++) feats.set(history.subarray((r * T + s + 1 - t) * F, (r * T + s + 1) * F), r * t * F);
      const input = tf.tensor3d(feats, [R, t, F]);
      const { logits, cache: next } = model.run(input, useCache ? cache : null);
      input.dispose();
      disposeCache(cache);
      cache = useCache ? next : null;
      if (!useCache) disposeCache(next);
      const values = logits.dataSync() as Float32Array; // [R, t, 7]
      logits.dispose();
      rows.forEach((row, r) => {
        const slot = nextSlots[r];
        if (!slot) return;
        const at = (r * t + t - 1) * VOCAB;
        // past the guided planes the class-conditional row is used as it is
        const unguided = copies === 1 || (guidedPlanes > 0 && slot.plane >= guidedPlanes);
        const token = unguided
          ? decideToken(row, s, slot, values, at, options.sampling)
          : decideToken(row, s, slot, guideLogits(values, at, values, at + B * t * VOCAB, VOCAB, scale, mixed), 0, options.sampling);
        row.stepper.push(token);
        out[r].push(token);
        previous[r] = slot;
        flush(r, row.stepper.done);
      });
      options.onEvent?.({ type: 'progress', step: s + 1, active: rows.filter((row) => !row.stepper.done).length, context: T });
      if (s % 32 === 31) await yieldToEventLoop();
    }
  } finally {
    disposeCache(cache);
  }
  rows.forEach((_, r) => flush(r, true));
  return rows.map((row, r) => ({ tokens: Uint8Array.from(out[r]), complete: row.stepper.done }));
}
