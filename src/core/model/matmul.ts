/**
 * Matrix products whose backward pass uses only untransposed products.
 * Why: on the wasm backend a matMul with transposeA/transposeB runs 5-15x slower than
 * the same product on explicitly transposed inputs (profiled: [2048,128]x[512,128]^T
 * took 9x the time of [2048,128]x[128,512]); tfjs's own matMul gradient uses the
 * transposed flags, so training spent most of its time there.
 * Used by: core/model/gpt.ts.
 */
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes (rank 2, 3 or 4). */
export function swapLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/** a [..., n, k] x b [..., k, m] -> [..., n, m]; same batch dims on both (no broadcast). */
export const matMulFast = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * Causal softmax attention: q [B, H, t, hs], k and v [B, H, L, hs] (L = P + t),
 * bias [t, L] (null when t = 1) -> [B, H, t, hs].
 * Why per slice: the wasm backend runs a batched (3-D) product 7-10x slower than the same
 * work as 2-D products (probe: 16 x [512,512]x[512,32] took 158 ms batched, 22 ms as 16
 * slices), and unstacking a [B*H, t, L] score tensor costs more than the products, so
 * each (batch, head) slice does its whole score -> softmax -> mix on its own and only the
 * small q, k, v, y tensors are split and stacked. For one query row (cached sampling)
 * the batched kernels are cheaper than the per-slice overhead and are used instead.
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, bias: tf.Tensor2D | null, scale: number): tf.Tensor4D {
  const [B, H, t, hs] = q.shape;
  const L = k.shape[2];
  if (t === 1) {
    const att = tf.matMul(q, k, false, true).mul(scale); // [B, H, 1, L]
    return tf.matMul(tf.softmax(att), v) as tf.Tensor4D; // [B, H, 1, hs]
  }
  const qs = tf.split(q.reshape([B * H * t, hs]), B * H, 0); // B*H x [t, hs]
  const ks = tf.split(swapLast(k.reshape([B * H, L, hs])).reshape([B * H * hs, L]), B * H, 0); // B*H x [hs, L]
  const vs = tf.split(v.reshape([B * H * L, hs]), B * H, 0); // B*H x [L, hs]
  const ys = qs.map((qi, i) => {
    let scores = matMulFast(qi, ks[i]).mul(scale); // [t, L]
    if (bias) scores = scores.add(bias);
    return matMulFast(tf.softmax(scores), vs[i]); // [t, hs]
  });
  return tf.concat(ys, 0).reshape([B, H, t, hs]) as tf.Tensor4D;
}
