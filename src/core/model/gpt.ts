/**
 * The wavelet-language transformer: a linear map of per-position features to the model
 * width (no embedding lookup: gather has no gradient on wasm), pre-LayerNorm blocks with
 * fused QKV and batched causal attention, a GELU MLP, a final LayerNorm and a head over
 * the 7 tokens. Activations stay 2-D ([B*T, D]) outside attention so every dense layer is
 * a plain 2-D matMul, forward and backward (fast on wasm, stack-notes.md).
 * One `run` serves training (no cache), prefix priming and cached one-token steps.
 * Used by: core/train via node/worker jobs, core/sample, cli bench.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './config';
import { featureLayout, type FeatureLayout } from './features';
import { createPrng } from './prng';
import { causalAttention, matMulFast } from './matmul';

export const VOCAB = 7;

/** Keys and values of one layer for the positions seen so far. */
export interface LayerCache {
  k: tf.Tensor4D; // [B, H, P, hs]
  v: tf.Tensor4D; // [B, H, P, hs]
}
export type KvCache = LayerCache[];

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
  /** Weight decay applies to matrices only (not to biases or LayerNorm). */
  decay: boolean;
}

export interface Gpt {
  config: ModelConfig;
  layout: FeatureLayout;
  variables: NamedVariable[];
  params: number;
  /**
   * features [B, t, F] after `past` (P cached positions, or none) ->
   * logits [B, t, 7] and the cache for P + t positions (the caller owns both).
   */
  run(features: tf.Tensor3D, past: KvCache | null): { logits: tf.Tensor3D; cache: KvCache };
  /** Training loss: features [B, T, F], targetWeights [B*T, 7] (one-hot / token count, zero on padding). */
  loss(features: tf.Tensor3D, targetWeights: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

interface BlockParams {
  ln1g: tf.Variable; ln1b: tf.Variable;
  qkvW: tf.Variable; qkvB: tf.Variable;
  projW: tf.Variable; projB: tf.Variable;
  ln2g: tf.Variable; ln2b: tf.Variable;
  fcW: tf.Variable; fcB: tf.Variable;
  outW: tf.Variable; outB: tf.Variable;
}

function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true); // [N, 1]
  return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5))).mul(gamma).add(beta) as tf.Tensor2D;
}

/** GELU, tanh approximation. */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(tf.tanh(inner).add(1)).mul(0.5) as tf.Tensor2D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return matMulFast(x, w).add(b) as tf.Tensor2D;
}

/** Additive causal mask [t, P + t]: query i (absolute P + i) sees keys j <= P + i. */
function causalBias(t: number, past: number): tf.Tensor2D {
  const total = past + t;
  const bias = new Float32Array(t * total);
  for (let i = 0; i < t; i++) bias.fill(-1e9, i * total + past + i + 1, (i + 1) * total);
  return tf.tensor2d(bias, [t, total]);
}

interface GptParams {
  variables: NamedVariable[];
  inW: tf.Variable;
  inB: tf.Variable;
  blocks: BlockParams[];
  lnfG: tf.Variable;
  lnfB: tf.Variable;
  headW: tf.Variable;
  headB: tf.Variable;
}

/** Every weight, created in a fixed order from the config's seed (same seed, same weights). */
function createParams(config: ModelConfig, inputSize: number): GptParams {
  const D = config.width;
  const hidden = D * config.mlpRatio;
  const rng = createPrng(config.seed);
  const variables: NamedVariable[] = [];
  const make = (name: string, shape: number[], fill: 'normal' | 'zeros' | 'ones', std = config.initStd): tf.Variable => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (fill === 'ones') data.fill(1);
    else if (fill === 'normal') for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
    // tfjs variable names are global: keep ours beside the variable, let tfjs pick unique ones.
    const init = tf.tensor(data, shape);
    const variable = tf.variable(init, true);
    init.dispose();
    variables.push({ name, variable, decay: fill === 'normal' });
    return variable;
  };
  // Residual projections scaled down by depth, as in GPT-2.
  const residualStd = config.initStd / Math.sqrt(2 * config.layers);
  const inW = make('input/kernel', [inputSize, D], 'normal');
  const inB = make('input/bias', [D], 'zeros');
  const blocks: BlockParams[] = [];
  for (let l = 0; l < config.layers; l++) {
    const p = `block${l}/`;
    blocks.push({
      ln1g: make(`${p}ln1/gamma`, [D], 'ones'), ln1b: make(`${p}ln1/beta`, [D], 'zeros'),
      qkvW: make(`${p}attn/qkv/kernel`, [D, 3 * D], 'normal'), qkvB: make(`${p}attn/qkv/bias`, [3 * D], 'zeros'),
      projW: make(`${p}attn/proj/kernel`, [D, D], 'normal', residualStd), projB: make(`${p}attn/proj/bias`, [D], 'zeros'),
      ln2g: make(`${p}ln2/gamma`, [D], 'ones'), ln2b: make(`${p}ln2/beta`, [D], 'zeros'),
      fcW: make(`${p}mlp/fc/kernel`, [D, hidden], 'normal'), fcB: make(`${p}mlp/fc/bias`, [hidden], 'zeros'),
      outW: make(`${p}mlp/out/kernel`, [hidden, D], 'normal', residualStd), outB: make(`${p}mlp/out/bias`, [D], 'zeros'),
    });
  }
  const lnfG = make('final_ln/gamma', [D], 'ones');
  const lnfB = make('final_ln/beta', [D], 'zeros');
  const headW = make('head/kernel', [D, VOCAB], 'normal');
  const headB = make('head/bias', [VOCAB], 'zeros');
  return { variables, inW, inB, blocks, lnfG, lnfB, headW, headB };
}

export function createGpt(config: ModelConfig): Gpt {
  const layout = featureLayout(config);
  const D = config.width;
  const H = config.heads;
  const hs = D / H;
  const { variables, inW, inB, blocks, lnfG, lnfB, headW, headB } = createParams(config, layout.size);

  /** Splits [B*t, D] into heads: [B, H, t, hs]. */
  const heads = (x: tf.Tensor2D, B: number, t: number): tf.Tensor4D =>
    x.reshape([B, t, H, hs]).transpose([0, 2, 1, 3]) as tf.Tensor4D;

  const attention = (x: tf.Tensor2D, blk: BlockParams, B: number, t: number, past: LayerCache | null, bias: tf.Tensor2D | null): { y: tf.Tensor2D; cache: LayerCache } => {
    const qkv = dense(layerNorm(x, blk.ln1g, blk.ln1b), blk.qkvW, blk.qkvB); // [B*t, 3D]
    const [q2, k2, v2] = tf.split(qkv, 3, 1) as tf.Tensor2D[]; // 3 x [B*t, D]
    const q = heads(q2, B, t); // [B, H, t, hs]
    let k = heads(k2, B, t);
    let v = heads(v2, B, t);
    if (past) {
      k = tf.concat([past.k, k], 2); // [B, H, P+t, hs]
      v = tf.concat([past.v, v], 2);
    }
    const y = causalAttention(q, k, v, bias, 1 / Math.sqrt(hs)) // [B, H, t, hs]
      .transpose([0, 2, 1, 3]).reshape([B * t, D]) as tf.Tensor2D; // [B*t, D]
    return { y: dense(y, blk.projW, blk.projB), cache: { k, v } };
  };

  /** The whole stack on [B*t, F] features: logits [B*t, 7] and each layer's keys and values. */
  const forward = (features2d: tf.Tensor2D, B: number, t: number, past: KvCache | null, bias: tf.Tensor2D | null): { logits: tf.Tensor2D; cache: KvCache } => {
    let x = dense(features2d, inW, inB); // [B*t, D]
    const cache: KvCache = [];
    blocks.forEach((blk, l) => {
      const a = attention(x, blk, B, t, past ? past[l] : null, bias);
      x = x.add(a.y);
      x = x.add(dense(gelu(dense(layerNorm(x, blk.ln2g, blk.ln2b), blk.fcW, blk.fcB)), blk.outW, blk.outB));
      cache.push(a.cache);
    });
    return { logits: dense(layerNorm(x, lnfG, lnfB), headW, headB), cache };
  };

  const run = (features: tf.Tensor3D, past: KvCache | null): { logits: tf.Tensor3D; cache: KvCache } => {
    const [B, t, F] = features.shape;
    if (F !== layout.size) throw new Error(`features have ${F} columns, the model expects ${layout.size}`);
    const P = past && past.length > 0 ? past[0].k.shape[2] : 0;
    if (P + t > config.context) throw new Error(`sequence of ${P + t} positions exceeds the model context ${config.context}`);
    return tf.tidy(() => {
      const out = forward(features.reshape([B * t, F]), B, t, past, t > 1 ? causalBias(t, P) : null);
      const logits = out.logits.reshape([B, t, VOCAB]) as tf.Tensor3D;
      return { logits, cache: out.cache } as unknown as tf.TensorContainer;
    }) as unknown as { logits: tf.Tensor3D; cache: KvCache };
  };

  const loss = (features: tf.Tensor3D, targetWeights: tf.Tensor2D): tf.Scalar => tf.tidy(() => {
    const [B, T, F] = features.shape;
    const { logits } = forward(features.reshape([B * T, F]), B, T, null, causalBias(T, 0)); // [B*T, 7]
    return tf.logSoftmax(logits).mul(targetWeights).sum().neg() as tf.Scalar;
  });

  const params = variables.reduce((n, v) => n + v.variable.size, 0);
  return {
    config: { ...config },
    layout,
    variables,
    params,
    run,
    loss,
    dispose: () => variables.forEach((v) => v.variable.dispose()),
  };
}

export function disposeCache(cache: KvCache | null): void {
  if (!cache) return;
  for (const layer of cache) {
    layer.k.dispose();
    layer.v.dispose();
  }
}
