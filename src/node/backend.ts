/**
 * The TensorFlow.js backend registry: picks the backend at the entry point (never in core).
 * Order for 'auto': tensorflow-gpu (@tensorflow/tfjs-node-gpu), tensorflow
 * (@tensorflow/tfjs-node), wasm (@tensorflow/tfjs-backend-wasm, SIMD), cpu. The native ones
 * are optional dependencies loaded by dynamic import; when one cannot load, the reason is
 * kept and shown. The wasm binaries are located through module resolution, so the same
 * code works from source (tsx) and from a bundle that leaves the package unbundled.
 * Used by: worker/jobs/*, cli commands and benches, node/service (system.info), tests.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../shared/dto';
import { StudioError } from '../shared/result';

export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendProbe {
  name: BackendName;
  available: boolean;
  reason?: string;
}

const requireHere = createRequire(import.meta.url);
const failures = new Map<BackendName, string>();

/** Folder (with trailing slash) holding the wasm backend's .wasm files. */
export function wasmDirectory(): string {
  const pkg = requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + '/';
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 300);
}

/** Loads the packages that register a backend; throws with the reason it cannot. */
async function register(name: BackendName): Promise<void> {
  if (name === 'cpu') return;
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDirectory());
    return;
  }
  const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  let resolved: string;
  try {
    resolved = requireHere.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed (an optional dependency; it needs native TensorFlow binaries for this platform)`);
  }
  // A variable specifier keeps bundlers from trying to inline a package that may be absent.
  await import(pathToFileURL(resolved).href);
}

/** The tfjs name a backend registers under. */
function tfName(name: BackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    await register(name);
    const ok = await tf.setBackend(tfName(name));
    if (!ok) throw new Error(`tfjs could not initialise the ${name} backend`);
    await tf.ready();
    if (name === 'tensorflow-gpu' && !gpuVisible()) throw new Error('tfjs-node-gpu loaded but found no CUDA device');
    failures.delete(name);
    return true;
  } catch (e) {
    failures.set(name, message(e));
    return false;
  }
}

function gpuVisible(): boolean {
  // tfjs-node-gpu falls back to the CPU kernels silently; its flag tells whether CUDA was found.
  const flags = tf.env().getFlags() as Record<string, unknown>;
  return flags.IS_GPU !== false;
}

export interface SelectedBackend {
  name: BackendName;
  /** Backends tried before this one, with the reason each failed. */
  skipped: { name: BackendName; reason: string }[];
}

/** Chooses and activates a backend; 'auto' takes the best that loads, a named one must load. */
export async function selectBackend(requested: BackendName | 'auto' = 'auto'): Promise<SelectedBackend> {
  tf.env().set('PROD', true);
  const candidates = requested === 'auto' ? BACKEND_ORDER : [requested];
  const skipped: SelectedBackend['skipped'] = [];
  for (const name of candidates) {
    if (await tryBackend(name)) return { name, skipped };
    skipped.push({ name, reason: failures.get(name) ?? 'unknown' });
  }
  const last = skipped[skipped.length - 1];
  throw new StudioError('UNAVAILABLE', `backend ${requested} is unavailable: ${last?.reason ?? 'no backend loaded'}`);
}

/** The backend now active, by the studio's name for it. */
export function activeBackend(): BackendName {
  const name = tf.getBackend();
  if (name === 'tensorflow') return failures.has('tensorflow-gpu') || !gpuVisible() ? 'tensorflow' : 'tensorflow-gpu';
  return name === 'wasm' ? 'wasm' : 'cpu';
}

/** Which backends this machine can load, best first, without switching the active one for long. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const out: BackendProbe[] = [];
  for (const name of BACKEND_ORDER) {
    if (name === 'cpu') {
      out.push({ name, available: true });
      continue;
    }
    try {
      await register(name);
      out.push({ name, available: true });
    } catch (e) {
      out.push({ name, available: false, reason: message(e) });
    }
  }
  return out;
}

export function isBackendName(value: string): value is BackendName | 'auto' {
  return value === 'auto' || (BACKEND_ORDER as readonly string[]).includes(value);
}
