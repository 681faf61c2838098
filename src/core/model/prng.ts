/**
 * A small seeded pseudo-random generator (sfc32) whose whole state is four uint32 words,
 * so it can be saved in a checkpoint and resumed exactly. Every random choice in model
 * init, batching and sampling goes through one of these, injected by the caller.
 * Used by: core/model (init), core/train (batch choice), core/sample (token draws).
 */

export type PrngState = [number, number, number, number];

export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  state(): PrngState;
}

/** splitmix32: spreads a 32-bit seed over the four state words. */
function splitmix(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createPrng(seed: number): Prng {
  const mix = splitmix(seed);
  const prng = prngFromState([mix(), mix(), mix(), mix()]);
  for (let i = 0; i < 12; i++) prng.next(); // discard the first outputs, as sfc32 suggests
  return prng;
}

/** Derives an independent stream from a seed and a stream index (e.g. one per sample). */
export function derivedSeed(seed: number, stream: number): number {
  const mix = splitmix((seed ^ Math.imul(stream + 1, 0x27d4eb2d)) >>> 0);
  mix();
  return mix();
}

export function prngFromState(initial: readonly number[]): Prng {
  if (initial.length !== 4 || initial.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new Error('PRNG state must be four uint32 words');
  }
  let [a, b, c, d] = initial.map((w) => w >>> 0);
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => nextUint() / 4294967296;
  return {
    next,
    normal: () => {
      const u = 1 - next(); // (0, 1]
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    state: () => [a, b, c, d],
  };
}
