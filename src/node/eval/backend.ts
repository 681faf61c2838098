/**
 * Makes sure a tfjs backend is active for evaluation entry points (cli judge/eval, the eval
 * job): keeps one already chosen (wasm or native), else selects through node/backend.ts
 * ('auto': best available). Core never chooses.
 * Used by: cli judge, node/eval/evaluate-dir.ts, tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../shared/dto';
import { activeBackend, selectBackend } from '../backend';

let chosen = false;

export async function ensureEvalBackend(requested: BackendName | 'auto' = 'auto'): Promise<BackendName> {
  const current = tf.engine().backendName;
  if (chosen || (requested === 'auto' && (current === 'wasm' || current === 'tensorflow'))) return activeBackend();
  const selected = await selectBackend(requested);
  chosen = true;
  return selected.name;
}
