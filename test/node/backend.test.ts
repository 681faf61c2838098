/**
 * Backend choice at the entry point: 'auto' takes the best backend that loads and says why
 * the others did not; a named backend that cannot load is UNAVAILABLE with its reason;
 * the wasm backend finds its binaries and computes.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activeBackend, probeBackends, selectBackend, wasmDirectory } from '../../src/node/backend';

// Resolved, not imported: the native packages are optional and absent on most machines.
const nativeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('selectBackend', () => {
  it('activates wasm from the package folder and computes with it', async () => {
    expect(wasmDirectory()).toMatch(/tfjs-backend-wasm\/dist\/$/);
    const chosen = await selectBackend('wasm');
    expect(chosen.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
    expect(Array.from(tf.tidy(() => tf.matMul([[1, 2]], [[3], [4]]).dataSync()))).toEqual([11]);
  });

  it.skipIf(nativeInstalled)('auto skips the native backends with a reason and lands on wasm', async () => {
    const chosen = await selectBackend('auto');
    expect(chosen.name).toBe('wasm');
    expect(chosen.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(chosen.skipped[0].reason).toMatch(/tfjs-node-gpu is not installed/);
    const probes = await probeBackends();
    expect(probes.find((p) => p.name === 'tensorflow')).toMatchObject({ available: false });
    expect(probes.find((p) => p.name === 'cpu')).toMatchObject({ available: true });
  });

  it.skipIf(nativeInstalled)('a named backend that cannot load is UNAVAILABLE, naming why', async () => {
    await expect(selectBackend('tensorflow')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/tfjs-node is not installed/) });
  });
});
