/** Test helpers for core/language: a seeded generator and synthetic digit-like images. */

/** mulberry32: a small seeded generator in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stroke-like grayscale image: a few thick anti-aliased line segments on black. */
export function digitLike(width: number, height: number, seed: number): Uint8Array {
  const rnd = seeded(seed);
  const out = new Uint8Array(width * height);
  const strokes = 2 + Math.floor(rnd() * 3);
  let x0 = width * (0.25 + 0.5 * rnd());
  let y0 = height * (0.2 + 0.2 * rnd());
  for (let s = 0; s < strokes; s++) {
    const x1 = width * (0.2 + 0.6 * rnd());
    const y1 = height * (0.2 + 0.6 * rnd());
    const r = 1 + rnd() * Math.max(1, width / 14);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = x1 - x0;
        const dy = y1 - y0;
        const len2 = dx * dx + dy * dy || 1;
        const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
        const d = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
        const v = Math.round(255 * Math.max(0, Math.min(1, r + 0.5 - d)));
        if (v > out[y * width + x]) out[y * width + x] = v;
      }
    }
    x0 = x1;
    y0 = y1;
  }
  return out;
}

/** Uniform random bytes. */
export function noiseImage(width: number, height: number, seed: number): Uint8Array {
  const rnd = seeded(seed);
  return Uint8Array.from({ length: width * height }, () => Math.floor(rnd() * 256));
}
