#!/usr/bin/python3
"""Writes the PyWavelets oracle fixtures for core/wavelet and core/language tests.

Run with the Debian interpreter (python3-pywt 1.1.1):  /usr/bin/python3 scripts/make-wavelet-fixtures.py

- test/fixtures/wavelet/pywt-<wavelet>.json: random squares and their
  wavedec2(mode='periodization', level=m-1) -> coeffs_to_array; one random Mallat array
  and its waverec2 (inverse parity).
- test/fixtures/language/golden-sentences.json: sentences of a few images, coded by an
  independent, deliberately plain implementation of shared/design/wavelet-language.md
  on top of PyWavelets (blocks and zero-tree variants).
"""
import json
import math
import os

import numpy as np
import warnings

import pywt

warnings.filterwarnings("ignore", message="Level value")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
WAVELETS = ['haar', 'bior4.4', 'bior2.2']


def mallat(x, wavelet):
    m = int(round(math.log2(x.shape[0])))
    coeffs = pywt.wavedec2(x, wavelet, mode='periodization', level=m - 1)
    arr, _ = pywt.coeffs_to_array(coeffs)
    return arr


def inverse(arr, wavelet):
    m = int(round(math.log2(arr.shape[0])))
    slices = []
    # the slices of coeffs_to_array for this size, taken from a dummy decomposition
    _, slices = pywt.coeffs_to_array(pywt.wavedec2(np.zeros_like(arr), wavelet, mode='periodization', level=m - 1))
    coeffs = pywt.array_to_coeffs(arr, slices, output_format='wavedec2')
    return pywt.waverec2(coeffs, wavelet, mode='periodization')


def wavelet_fixtures():
    rng = np.random.default_rng(20240628)
    for w in WAVELETS:
        cases = []
        for size in [8, 16, 32, 32, 64]:
            # short decimals: both sides parse them to the same doubles
            x = np.round(rng.random((size, size)), 4)
            cases.append({'size': size, 'input': x.ravel().tolist(),
                          'mallat': [float(v) for v in mallat(x, w).ravel()]})
        y = np.round(rng.normal(size=(16, 16)), 4)
        inv = {'size': 16, 'mallat': y.ravel().tolist(), 'square': [float(v) for v in inverse(y, w).ravel()]}
        path = os.path.join(ROOT, 'test', 'fixtures', 'wavelet', 'pywt-%s.json' % w)
        with open(path, 'w') as f:
            json.dump({'wavelet': w, 'pywt': pywt.__version__, 'forward': cases, 'inverse': inv}, f)


# ---- a plain, independent coder of the wavelet language ----

def block_order(M):
    blocks = [(0, 0)]
    s = 4
    while s < M:
        for (r0, c0) in [(0, s), (s, 0), (s, s)]:
            for br in range(0, s, 4):
                for bc in range(0, s, 4):
                    blocks.append((r0 + br, c0 + bc))
        s *= 2
    return blocks


def groups_of(block):
    r, c = block
    return [[(r + gr + i, c + gc + k) for i in range(2) for k in range(2)] for (gr, gc) in [(0, 0), (0, 2), (2, 0), (2, 2)]]


def start_exponent(a, final_exp):
    mx = float(np.abs(a).max())
    if mx == 0:
        return final_exp
    e = math.floor(math.log2(mx))
    while 2.0 ** e > mx:
        e -= 1
    while 2.0 ** (e + 1) <= mx:
        e += 1
    return max(e, final_exp)


class Coefs:
    def __init__(self, a):
        self.a = a
        self.sig = np.zeros(a.shape, bool)
        self.lo = np.zeros(a.shape)
        self.width = np.zeros(a.shape)

    def code(self, rc, T, out):
        """Significance or refinement token of one coefficient."""
        v = self.a[rc]
        if self.sig[rc]:
            mid = self.lo[rc] + self.width[rc] / 2
            bit = abs(v) >= mid
            self.width[rc] /= 2
            if bit:
                self.lo[rc] += self.width[rc]
            out.append(6 if bit else 5)
        elif abs(v) >= T:
            self.sig[rc] = True
            self.lo[rc] = T
            self.width[rc] = T
            out.append(3 if v > 0 else 4)
        else:
            out.append(2)

    def decoded(self):
        return np.where(self.sig, np.sign(self.a) * (self.lo + self.width / 2), 0.0)


def encode_blocks(a, final_exp):
    M = a.shape[0]
    e0 = start_exponent(a, final_exp)
    st = Coefs(a)
    out = []
    for p in range(e0 - final_exp + 1):
        T = 2.0 ** (e0 - p)
        for block in block_order(M):
            gs = groups_of(block)
            cells = [rc for g in gs for rc in g]
            if not any(st.sig[rc] for rc in cells) and all(abs(a[rc]) < T for rc in cells):
                out.append(0)
                continue
            for g in gs:
                if not any(st.sig[rc] for rc in g) and all(abs(a[rc]) < T for rc in g):
                    out.append(1)
                    continue
                for rc in g:
                    st.code(rc, T, out)
    return e0, out, st.decoded()


def children(rc, M):
    r, c = rc
    if r < 2 and c < 2:
        return [(r, c + 2), (r + 2, c), (r + 2, c + 2)]
    if max(r, c) >= M // 2:
        return []
    return [(2 * r + i, 2 * c + k) for i in range(2) for k in range(2)]


def descendants(rc, M):
    out = []
    todo = list(children(rc, M))
    while todo:
        x = todo.pop()
        out.append(x)
        todo.extend(children(x, M))
    return out


def encode_zerotree(a, final_exp):
    M = a.shape[0]
    e0 = start_exponent(a, final_exp)
    st = Coefs(a)
    order = [rc for b in block_order(M) for g in groups_of(b) for rc in g]
    desc = {rc: descendants(rc, M) for rc in order}
    out = []
    for p in range(e0 - final_exp + 1):
        T = 2.0 ** (e0 - p)
        skipped = set()
        for rc in order:
            if rc in skipped:
                continue
            d = desc[rc]
            tree_slot = not st.sig[rc] and d and not any(st.sig[x] for x in d)
            if tree_slot and abs(a[rc]) < T and all(abs(a[x]) < T for x in d):
                out.append(0)
                skipped.update(d)
                continue
            st.code(rc, T, out)
    return e0, out, st.decoded()


def golden_images():
    imgs = []
    ex = np.zeros((8, 8), np.uint8)
    ex[1:7, 4] = 217
    ex[1:7, 5] = 140
    ex[6, 2:4] = 230
    imgs.append(('worked-example', ex))
    yy, xx = np.mgrid[0:28, 0:28]
    ring = np.clip(255 - 40 * np.abs(np.hypot(yy - 13.5, xx - 14) - 8), 0, 255).astype(np.uint8)
    imgs.append(('ring-28x28', ring))
    rng = np.random.default_rng(7)
    imgs.append(('noise-13x20', rng.integers(0, 256, size=(13, 20)).astype(np.uint8)))
    bar = np.zeros((16, 16), np.uint8)
    bar[3:13, 7:9] = 201  # not 255: exact dyadic coefficients would sit on refinement midpoints, where 1e-16 differences between transforms flip bits
    imgs.append(('bar-16x16', bar))
    return imgs


def pad(img):
    h, w = img.shape
    M = max(8, 1 << max(0, (max(h, w) - 1).bit_length()))
    top, left = (M - h) // 2, (M - w) // 2
    sq = np.zeros((M, M))
    sq[top:top + h, left:left + w] = img / 255.0
    return sq


def language_fixtures():
    cases = []
    for name, img in golden_images():
        for w, fe in [('haar', -3), ('haar', -1), ('bior4.4', -4), ('bior2.2', -2)]:
            a = mallat(pad(img), w)
            for variant, enc in [('blocks', encode_blocks), ('zerotree', encode_zerotree)]:
                e0, toks, dec = enc(a, fe)
                cases.append({'name': name, 'width': int(img.shape[1]), 'height': int(img.shape[0]),
                              'pixels': img.ravel().tolist(), 'wavelet': w, 'finalExponent': fe,
                              'variant': variant, 'startExponent': e0,
                              'tokens': ''.join(str(t) for t in toks),
                              'decoded': [float(v) for v in dec.ravel()]})
    path = os.path.join(ROOT, 'test', 'fixtures', 'language', 'golden-sentences.json')
    with open(path, 'w') as f:
        json.dump({'pywt': pywt.__version__, 'cases': cases}, f)


if __name__ == '__main__':
    wavelet_fixtures()
    language_fixtures()
