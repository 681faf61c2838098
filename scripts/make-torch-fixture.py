#!/usr/bin/env python3
"""Golden fixture for the transformer: a PyTorch twin of src/core/model/gpt.ts.

The twin is written from the model's definition, independently of the TypeScript code:
  features [B, T, F] -> linear (input/kernel [F, D], input/bias) ->
  per block l: x += proj(causal_attention(split_qkv(linear(LN1(x))))),
               x += out(gelu_tanh(fc(LN2(x))))
  -> final LayerNorm -> head [D, 7].
LayerNorm uses the biased variance and eps 1e-5; attention scales by 1/sqrt(head size);
the fused QKV kernel [D, 3D] holds q, k, v side by side, and head h of each takes
columns h*hs .. (h+1)*hs. Kernels are stored [in, out] as the TypeScript model holds them.

Weights and input features come from a seeded generator, are rounded to 6 significant
digits (so the JSON is small and both sides read the same float32 values), and the
expected logits are computed in float64. Writes test/fixtures/model/torch-forward.json.

  /usr/bin/python3 scripts/make-torch-fixture.py
"""
import json
import math
import os

import torch

CONFIG = {
    'layers': 2, 'width': 16, 'heads': 2, 'context': 16, 'mlpRatio': 2, 'numClasses': 3,
    'exponentMin': -4, 'exponentCount': 4, 'maxPlanes': 4, 'maxLevels': 2,
    'positionFrequencies': 1, 'nextSlotFeatures': True, 'initStd': 0.02, 'seed': 0,
}
BATCH, LENGTH, VOCAB = 2, 7, 7
TOKEN_FEATURES, SUBBANDS, KINDS = 8, 4, 5


def feature_size(c):
    """Width of one position's feature vector (core/model/features.ts, featureLayout)."""
    slot = c['maxPlanes'] + c['maxLevels'] + 1 + SUBBANDS + (KINDS if c['nextSlotFeatures'] else 0) + 2 + 4 * c['positionFrequencies']
    return TOKEN_FEATURES + c['exponentCount'] + c['numClasses'] + slot * (2 if c['nextSlotFeatures'] else 1)


gen = torch.Generator().manual_seed(20240627)


def rounded(t):
    """float32 values that survive a trip through 6-digit decimal text unchanged."""
    flat = [float(f'{v:.6g}') for v in t.flatten().tolist()]
    return torch.tensor(flat, dtype=torch.float32).reshape(t.shape)


def param(shape, std, mean=0.0):
    return rounded(torch.randn(*shape, generator=gen, dtype=torch.float64) * std + mean)


def build_weights(c, F):
    D, hidden = c['width'], c['width'] * c['mlpRatio']
    w = {'input/kernel': param([F, D], 0.3), 'input/bias': param([D], 0.1)}
    for l in range(c['layers']):
        p = f'block{l}/'
        w[p + 'ln1/gamma'] = param([D], 0.2, 1.0)
        w[p + 'ln1/beta'] = param([D], 0.1)
        w[p + 'attn/qkv/kernel'] = param([D, 3 * D], 0.4)
        w[p + 'attn/qkv/bias'] = param([3 * D], 0.1)
        w[p + 'attn/proj/kernel'] = param([D, D], 0.3)
        w[p + 'attn/proj/bias'] = param([D], 0.1)
        w[p + 'ln2/gamma'] = param([D], 0.2, 1.0)
        w[p + 'ln2/beta'] = param([D], 0.1)
        w[p + 'mlp/fc/kernel'] = param([D, hidden], 0.3)
        w[p + 'mlp/fc/bias'] = param([hidden], 0.1)
        w[p + 'mlp/out/kernel'] = param([hidden, D], 0.3)
        w[p + 'mlp/out/bias'] = param([D], 0.1)
    w['final_ln/gamma'] = param([D], 0.2, 1.0)
    w['final_ln/beta'] = param([D], 0.1)
    w['head/kernel'] = param([D, VOCAB], 0.5)
    w['head/bias'] = param([VOCAB], 0.1)
    return w


def layer_norm(x, gamma, beta):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), gamma, beta, eps=1e-5)


def forward(w, c, features):
    """features [B, T, F] (float64) -> logits [B, T, 7]."""
    B, T, _ = features.shape
    D, H = c['width'], c['heads']
    hs = D // H
    x = features @ w['input/kernel'] + w['input/bias']  # [B, T, D]
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    for l in range(c['layers']):
        p = f'block{l}/'
        qkv = layer_norm(x, w[p + 'ln1/gamma'], w[p + 'ln1/beta']) @ w[p + 'attn/qkv/kernel'] + w[p + 'attn/qkv/bias']  # [B, T, 3D]
        q, k, v = qkv.split(D, dim=-1)
        q, k, v = (t.reshape(B, T, H, hs).transpose(1, 2) for t in (q, k, v))  # [B, H, T, hs]
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hs)  # [B, H, T, T]
        scores = scores.masked_fill(~mask, float('-inf'))
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        x = x + y @ w[p + 'attn/proj/kernel'] + w[p + 'attn/proj/bias']
        h = layer_norm(x, w[p + 'ln2/gamma'], w[p + 'ln2/beta']) @ w[p + 'mlp/fc/kernel'] + w[p + 'mlp/fc/bias']
        h = torch.nn.functional.gelu(h, approximate='tanh')
        x = x + h @ w[p + 'mlp/out/kernel'] + w[p + 'mlp/out/bias']
    x = layer_norm(x, w['final_ln/gamma'], w['final_ln/beta'])
    return x @ w['head/kernel'] + w['head/bias']


def main():
    F = feature_size(CONFIG)
    weights = build_weights(CONFIG, F)
    features = rounded(torch.randn(BATCH, LENGTH, F, generator=gen, dtype=torch.float64))
    with torch.no_grad():
        logits = forward({k: v.double() for k, v in weights.items()}, CONFIG, features.double())
    out = {
        'description': 'PyTorch twin of the wavelet-language transformer (scripts/make-torch-fixture.py)',
        'torch': torch.__version__,
        'config': CONFIG,
        'featureSize': F,
        'weights': [{'name': k, 'shape': list(v.shape), 'data': [float(f'{x:.6g}') for x in v.flatten().tolist()]} for k, v in weights.items()],
        'features': {'shape': [BATCH, LENGTH, F], 'data': [float(f'{x:.6g}') for x in features.flatten().tolist()]},
        'logits': {'shape': [BATCH, LENGTH, VOCAB], 'data': [round(x, 9) for x in logits.flatten().tolist()]},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'model', 'torch-forward.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes, F={F}, logits std {logits.std().item():.3f})')


if __name__ == '__main__':
    main()
