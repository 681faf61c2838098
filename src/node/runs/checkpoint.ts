/**
 * Checkpoints of a run: a folder `checkpoint/` holding the model weights and the AdamW
 * moments in the TensorFlow.js layout (weights.json manifest + weights.bin, optimizer.json +
 * optimizer.bin), the moving average of the weights when the run keeps one (ema.json +
 * ema.bin, train.emaDecay > 0) and state.json (step, RNG, wall time, resolved configs,
 * dataset, classes, per-class start statistics, checksums of the binaries).
 * `modelWeights` picks what sampling, evaluation, packaging and --init-from use: the
 * average when there is one, else the trained weights.
 * Crash safety: 1. write everything into `checkpoint.tmp-<random>/` and fsync it;
 * 2. move the current `checkpoint/` to `checkpoint.prev/`; 3. rename the temp folder to
 * `checkpoint/`. A kill at any point leaves a loadable checkpoint (the new one, or the
 * previous one in `checkpoint.prev/`), and a checkpoint that fails its checksums is skipped
 * for the previous one.
 * A packaged model (node/models/starter.ts) holds the same checkpoint/ without the optimizer
 * files; its state.json then has no optimizer checksum. Such a folder loads for sampling
 * and evaluation (optimizer: []), and anything that resumes training must check
 * `hasOptimizer`.
 * Used by: worker/jobs/train.ts, node/runs/model-io.ts, cli, tests.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { validateModelConfig, type ModelConfig } from '../../core/model/config';
import type { PrngState } from '../../core/model/prng';
import { decodeWeights, encodeWeights, type NamedArray, type WeightsManifest } from '../../core/model/weights-format';
import { validateTrainConfig, type TrainConfig } from '../../core/train/config';
import type { ClassStartStats } from '../../core/sample/start';
import { validateTokenizerConfig, type Geometry, type TokenizerConfig } from '../../core/language';
import { StudioError } from '../../shared/result';

export const CHECKPOINT_SCHEMA_VERSION = 1;
export const CHECKPOINT_DIR = 'checkpoint';
export const PREVIOUS_DIR = 'checkpoint.prev';

export interface CheckpointState {
  schemaVersion: number;
  step: number;
  rng: PrngState;
  wallSec: number;
  optimizerUpdates: number;
  /** Updates folded into the weight average (present when the checkpoint holds one). */
  emaUpdates?: number;
  model: ModelConfig;
  train: TrainConfig;
  tokenizer: TokenizerConfig;
  geometry: Geometry;
  datasetId: string;
  classes: string[];
  stats: ClassStartStats[];
  params: number;
  savedAt: number;
  /** The optimizer checksum is absent in a packaged (inference-only) model. */
  checksums: { weights: string; optimizer?: string; ema?: string };
}

export interface LoadCheckpointOptions {
  /** false: never read the optimizer files (sampling, evaluation, packaging). Default true. */
  optimizer?: boolean;
}

export interface Checkpoint {
  state: CheckpointState;
  weights: NamedArray[];
  /** Empty when not read or when the checkpoint has none (see hasOptimizer). */
  optimizer: NamedArray[];
  /** Whether the checkpoint holds optimizer state (runs: yes; packaged models: no). */
  hasOptimizer: boolean;
  /** The moving average of the weights; empty when the run keeps none (or a packaged model). */
  ema: NamedArray[];
  /** Which folder it was read from (the previous one after a bad current one). */
  from: string;
}

/** Writes a file and flushes it to disk before returning. */
async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The weights a model is used with: the moving average when the checkpoint has one. */
export function modelWeights(checkpoint: Pick<Checkpoint, 'weights' | 'ema'>): NamedArray[] {
  return checkpoint.ema.length > 0 ? checkpoint.ema : checkpoint.weights;
}

/**
 * Writes `<runDir>/checkpoint/` (the previous one kept as checkpoint.prev) through a temp
 * folder. `optimizer` null: a run without optimizer state (trained elsewhere, see
 * node/runs/external.ts), which samples and starts other runs but does not resume.
 */
export async function saveCheckpoint(
  runDir: string,
  state: Omit<CheckpointState, 'checksums' | 'schemaVersion' | 'savedAt' | 'emaUpdates'>,
  weights: readonly NamedArray[],
  optimizer: readonly NamedArray[] | null,
  ema?: { updates: number; arrays: readonly NamedArray[] },
): Promise<void> {
  const temp = join(runDir, `${CHECKPOINT_DIR}.tmp-${randomBytes(4).toString('hex')}`);
  const current = join(runDir, CHECKPOINT_DIR);
  const previous = join(runDir, PREVIOUS_DIR);
  const w = encodeWeights(weights, 'weights.bin');
  const o = optimizer ? encodeWeights(optimizer, 'optimizer.bin') : undefined;
  const e = ema ? encodeWeights(ema.arrays, 'ema.bin') : undefined;
  const full: CheckpointState = {
    ...state, schemaVersion: CHECKPOINT_SCHEMA_VERSION, savedAt: Date.now(),
    ...(ema ? { emaUpdates: ema.updates } : {}),
    checksums: { weights: w.checksum, ...(o ? { optimizer: o.checksum } : {}), ...(e ? { ema: e.checksum } : {}) },
  };
  await fs.mkdir(temp, { recursive: true });
  try {
    await writeSynced(join(temp, 'weights.bin'), w.bin);
    await writeSynced(join(temp, 'weights.json'), JSON.stringify({ format: 'wavelet-studio-weights', weightsManifest: w.manifest }, null, 1));
    if (o) {
      await writeSynced(join(temp, 'optimizer.bin'), o.bin);
      await writeSynced(join(temp, 'optimizer.json'), JSON.stringify({ weightsManifest: o.manifest }, null, 1));
    }
    if (e) {
      await writeSynced(join(temp, 'ema.bin'), e.bin);
      await writeSynced(join(temp, 'ema.json'), JSON.stringify({ weightsManifest: e.manifest }, null, 1));
    }
    await writeSynced(join(temp, 'state.json'), JSON.stringify(full, null, 1));
    const hasCurrent = await fs.stat(current).then(() => true, () => false);
    if (hasCurrent) {
      await fs.rm(previous, { recursive: true, force: true });
      await fs.rename(current, previous);
    }
    await fs.rename(temp, current);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw new StudioError('INTERNAL', `cannot write the checkpoint in ${runDir}: ${(err as Error).message}`);
  }
  // Left-over temp folders of killed writers are garbage.
  for (const name of await fs.readdir(runDir)) {
    if (name.startsWith(`${CHECKPOINT_DIR}.tmp-`) && join(runDir, name) !== temp) await fs.rm(join(runDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Writes `<modelDir>/checkpoint/` holding only what sampling needs: weights (pass
 * modelWeights(checkpoint)) and state.json (its optimizer and average checksums removed, so
 * loaders know there is no optimizer state and the weights are the ones to use). The caller
 * writes into a fresh staging folder and moves it into place (node/models/starter.ts).
 */
export async function writeInferenceCheckpoint(modelDir: string, state: CheckpointState, weights: readonly NamedArray[]): Promise<{ weightsBytes: number }> {
  const dir = join(modelDir, CHECKPOINT_DIR);
  const w = encodeWeights(weights, 'weights.bin');
  const { emaUpdates: _dropped, ...rest } = state;
  const packaged: CheckpointState = { ...rest, checksums: { weights: w.checksum } };
  await fs.mkdir(dir, { recursive: true });
  await writeSynced(join(dir, 'weights.bin'), w.bin);
  await writeSynced(join(dir, 'weights.json'), JSON.stringify({ format: 'wavelet-studio-weights', weightsManifest: w.manifest }, null, 1));
  await writeSynced(join(dir, 'state.json'), JSON.stringify(packaged, null, 1));
  return { weightsBytes: w.bin.length };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Parses and checks state.json: configs through their validators, geometry, classes and
 * per-class statistics consistent; anything else (a damaged or foreign file) throws, so a
 * bad folder can never reach model construction or the model list.
 */
export function parseCheckpointState(text: string): CheckpointState {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw)) throw new Error('state.json is not an object');
  if (raw.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) throw new Error(`checkpoint schema ${String(raw.schemaVersion)} is not supported (expected ${CHECKPOINT_SCHEMA_VERSION})`);
  const g = raw.geometry;
  if (!isRecord(g) || ![g.width, g.height, g.size, g.top, g.left].every(isCount) || (g.size as number) > 4096) throw new Error('state.json: bad geometry');
  if (!Array.isArray(raw.classes) || raw.classes.length === 0 || !raw.classes.every((c) => typeof c === 'string')) throw new Error('state.json: bad class names');
  if (!Array.isArray(raw.stats) || raw.stats.length !== raw.classes.length) throw new Error('state.json: one start statistic per class is required');
  if (!isCount(raw.step) || !isCount(raw.params) || typeof raw.datasetId !== 'string') throw new Error('state.json: bad step, params or dataset id');
  if (!isRecord(raw.checksums) || typeof raw.checksums.weights !== 'string') throw new Error('state.json has no weights checksum');
  if (raw.checksums.ema !== undefined && (typeof raw.checksums.ema !== 'string' || !isCount(raw.emaUpdates))) throw new Error('state.json: a weight average needs its checksum and update count');
  if (!isRecord(raw.model) || !isRecord(raw.train)) throw new Error('state.json: missing model or train config');
  return {
    ...(raw as unknown as CheckpointState),
    model: validateModelConfig(raw.model),
    train: validateTrainConfig(raw.train),
    tokenizer: validateTokenizerConfig(raw.tokenizer),
  };
}

async function readOne(dir: string, options: LoadCheckpointOptions): Promise<Checkpoint> {
  const state = parseCheckpointState(await fs.readFile(join(dir, 'state.json'), 'utf8'));
  const wm = JSON.parse(await fs.readFile(join(dir, 'weights.json'), 'utf8')) as { weightsManifest: WeightsManifest };
  const weights = decodeWeights(wm.weightsManifest, new Uint8Array(await fs.readFile(join(dir, 'weights.bin'))), state.checksums.weights);
  const hasOptimizer = typeof state.checksums.optimizer === 'string';
  let optimizer: NamedArray[] = [];
  if (hasOptimizer && options.optimizer !== false) {
    const om = JSON.parse(await fs.readFile(join(dir, 'optimizer.json'), 'utf8')) as { weightsManifest: WeightsManifest };
    optimizer = decodeWeights(om.weightsManifest, new Uint8Array(await fs.readFile(join(dir, 'optimizer.bin'))), state.checksums.optimizer);
  }
  let ema: NamedArray[] = [];
  if (typeof state.checksums.ema === 'string') {
    const em = JSON.parse(await fs.readFile(join(dir, 'ema.json'), 'utf8')) as { weightsManifest: WeightsManifest };
    ema = decodeWeights(em.weightsManifest, new Uint8Array(await fs.readFile(join(dir, 'ema.bin'))), state.checksums.ema);
  }
  return { state, weights, optimizer, hasOptimizer, ema, from: dir };
}

/**
 * The newest intact checkpoint of a run or model folder, or undefined when it has none;
 * BAD_FILE when all are broken. A run's optimizer files are required (resume needs them)
 * unless options.optimizer is false.
 */
export async function loadCheckpoint(runDir: string, options: LoadCheckpointOptions = {}): Promise<Checkpoint | undefined> {
  const errors: string[] = [];
  for (const name of [CHECKPOINT_DIR, PREVIOUS_DIR]) {
    const dir = join(runDir, name);
    if (!(await fs.stat(join(dir, 'state.json')).then(() => true, () => false))) {
      if (await fs.stat(dir).then(() => true, () => false)) errors.push(`${dir}: state.json missing`);
      continue;
    }
    try {
      return await readOne(dir, options);
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
    }
  }
  if (errors.length > 0) throw new StudioError('BAD_FILE', `no intact checkpoint in ${runDir}: ${errors.join('; ')}`);
  return undefined;
}

/** The state of the newest checkpoint without reading the binaries (for listings). */
export async function peekCheckpointState(runDir: string): Promise<CheckpointState | undefined> {
  for (const name of [CHECKPOINT_DIR, PREVIOUS_DIR]) {
    try {
      return parseCheckpointState(await fs.readFile(join(runDir, name, 'state.json'), 'utf8'));
    } catch {
      // try the previous one
    }
  }
  return undefined;
}
