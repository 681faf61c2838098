/**
 * Choosing one token from the model's logits under the grammar: illegal tokens are
 * masked out, then temperature (0 = argmax), top-k and top-p (nucleus) filtering, then a
 * draw from the injected PRNG. Works on the 7 logits of one row, no tensors.
 * Classifier-free guidance mixes two rows of logits (class and no class) before that.
 * Used by: core/sample/generate.ts, tests.
 */
import type { Prng } from '../model/prng';

export interface SamplingSettings {
  /** 0 = greedy (argmax over legal tokens). */
  temperature: number;
  /** Keep the k most likely legal tokens (0 = off). */
  topK: number;
  /** Keep the smallest set of legal tokens whose probability reaches p (1 = off). */
  topP: number;
  /**
   * Classifier-free guidance scale s: the logits drawn from are u + s (c - u), c with the
   * class and u without it (1 = off: the class-conditional model as it is; 0 = the
   * unconditional model; above 1 pushes samples towards their class). Meaningful for
   * models trained with class dropout; each step then runs the model twice. Absent = 1.
   */
  guidance?: number;
  /**
   * Guidance interval: guidance applies to the tokens of the first n bit-planes only (the
   * coarse image), and later planes are drawn from the class-conditional logits as they are.
   * 0 or absent = every plane. Ignored when guidance is 1.
   */
  guidancePlanes?: number;
}

export const DEFAULT_SAMPLING: Readonly<SamplingSettings> = Object.freeze({ temperature: 1, topK: 0, topP: 1, guidance: 1 });

/** The guidance setting in words: 'off', '2', or '2 on bit-planes 1-3' (bit-plane 1) with an interval. */
export function describeGuidance(s: Pick<SamplingSettings, 'guidance' | 'guidancePlanes'>): string {
  const scale = s.guidance ?? 1;
  if (scale === 1) return 'off';
  const n = s.guidancePlanes ?? 0;
  return n > 0 ? `${scale} on ${n === 1 ? 'bit-plane 1' : `bit-planes 1-${n}`}` : `${scale}`;
}

/** out[0..count) = u + scale (c - u), from conditional logits at c[cOffset..] and unconditional at u[uOffset..]. */
export function guideLogits(c: ArrayLike<number>, cOffset: number, u: ArrayLike<number>, uOffset: number, count: number, scale: number, out: Float32Array): Float32Array {
  for (let t = 0; t < count; t++) out[t] = u[uOffset + t] + scale * (c[cOffset + t] - u[uOffset + t]);
  return out;
}

/** Probabilities over `count` tokens after masking and filtering (zeros for removed ones). */
export function filteredProbabilities(logits: ArrayLike<number>, offset: number, count: number, legalMask: number, settings: SamplingSettings): Float64Array {
  const probs = new Float64Array(count);
  const legal: number[] = [];
  for (let t = 0; t < count; t++) if ((legalMask >> t) & 1) legal.push(t);
  if (legal.length === 0) throw new Error('no legal token at this slot');
  // a non-finite logit would turn every probability into NaN: a broken model is an error, not a token
  for (const t of legal) {
    if (!Number.isFinite(logits[offset + t])) throw new Error(`the model produced a non-finite logit (${logits[offset + t]}) for token ${t}`);
  }
  legal.sort((a, b) => logits[offset + b] - logits[offset + a] || a - b); // most likely first
  if (settings.temperature <= 0) {
    probs[legal[0]] = 1;
    return probs;
  }
  const kept = settings.topK > 0 ? legal.slice(0, settings.topK) : legal;
  const top = logits[offset + kept[0]];
  let sum = 0;
  for (const t of kept) {
    // the difference first: dividing each logit by a tiny temperature could overflow to Infinity - Infinity
    probs[t] = Math.exp((logits[offset + t] - top) / settings.temperature);
    sum += probs[t];
  }
  let cumulative = 0;
  let cut = false;
  for (const t of kept) {
    if (cut) {
      probs[t] = 0;
      continue;
    }
    probs[t] /= sum;
    cumulative += probs[t];
    if (settings.topP < 1 && cumulative >= settings.topP) cut = true;
  }
  const rest = kept.reduce((s, t) => s + probs[t], 0);
  for (const t of kept) probs[t] /= rest;
  return probs;
}

/** Draws a token index from probabilities (one uniform draw, always consumed). */
export function drawIndex(probs: ArrayLike<number>, rng: Prng): number {
  const u = rng.next();
  let cumulative = 0;
  let last = -1;
  for (let t = 0; t < probs.length; t++) {
    if (probs[t] <= 0) continue;
    last = t;
    cumulative += probs[t];
    if (u < cumulative) return t;
  }
  return last;
}

export function chooseToken(logits: ArrayLike<number>, offset: number, count: number, legalMask: number, settings: SamplingSettings, rng: Prng): number {
  return drawIndex(filteredProbabilities(logits, offset, count, legalMask, settings), rng);
}
