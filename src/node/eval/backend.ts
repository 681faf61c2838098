/**
 * Picks the tfjs backend for evaluation entry points (cli judge/eval, the eval job) when
 * the caller has not: the wasm backend, else the plain cpu one. Core never chooses.
 * Used by: cli judge, cli eval, worker/jobs/eval.ts, tests.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export async function ensureEvalBackend(preferred: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  const current = tf.engine().backendName;
  if (current === 'wasm' || current === 'tensorflow') return current;
  const ok = await tf.setBackend(preferred).catch(() => false);
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}
