/**
 * Test helper: a small token corpus of synthetic images (bars whose position depends on
 * the class), coded with the real tokenizer, and the tiny model config the tests use.
 */
import { encodeImage, geometryFor, type TokenizerConfig } from '../../../src/core/language';
import type { TokenCorpus } from '../../../src/core/data/corpus';
import { validateModelConfig, type ModelConfig } from '../../../src/core/model/config';
import { createPrng } from '../../../src/core/model/prng';

export const TEST_TOKENIZER: TokenizerConfig = { wavelet: 'haar', finalExponent: -2, variant: 'blocks' };

/** A 12 x 12 image: a bright vertical bar at a class-dependent column, with jitter. */
export function barImage(classIndex: number, rng: { int(n: number): number }, side = 12): Uint8Array {
  const px = new Uint8Array(side * side);
  const col = 2 + classIndex * 3 + rng.int(2);
  const top = 1 + rng.int(3);
  for (let r = top; r < side - 1; r++) for (let c = col; c < Math.min(side, col + 2); c++) px[r * side + c] = 200 + rng.int(55);
  return px;
}

export function syntheticCorpus(count: number, classes = 3, seed = 1, side = 12): TokenCorpus {
  const rng = createPrng(seed);
  const sentences: Uint8Array[] = [];
  const starts: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    const enc = encodeImage(barImage(label, rng, side), side, side, TEST_TOKENIZER);
    sentences.push(enc.tokens);
    starts.push(enc.startExponent);
    labels.push(label);
  }
  const offsets = new Uint32Array(count + 1);
  sentences.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.length));
  const tokens = new Uint8Array(offsets[count]);
  sentences.forEach((s, i) => tokens.set(s, offsets[i]));
  return {
    tokenizer: TEST_TOKENIZER,
    geometry: geometryFor(side, side),
    classes: Array.from({ length: classes }, (_, i) => `c${i}`),
    offsets,
    tokens,
    startExponents: Int8Array.from(starts),
    labels: Uint16Array.from(labels),
  };
}

export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return validateModelConfig({ layers: 1, width: 32, heads: 2, context: 512, mlpRatio: 2, numClasses: 3, positionFrequencies: 2, ...overrides });
}

/** The wasm backend (4-10x faster than cpu for training), loaded from node_modules. */
export async function useWasmBackend(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const dir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasm.setWasmPaths(dir);
  await tf.setBackend('wasm');
}
