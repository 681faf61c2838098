/**
 * Starter models: a self-contained model folder (resources/models/<id>/) built from a
 * training run's latest checkpoint, holding what sampling needs and nothing for resuming:
 *   checkpoint/{weights.json, weights.bin, state.json}  weights, configs, class names,
 *                                                       start-exponent histograms
 *   config.json      the run's config (preset, resolved configs, seed), with the
 *                    recommended sampling settings when they are given
 *   metrics.jsonl    the training curve
 *   eval-report.json when the run has one
 *   samples.png      a class x sample grid, samples.json its seeds and sentences
 *   README.md        what it is and the exact commands that reproduce it
 * The folder is written to a hidden staging folder and renamed into place, so a failure
 * leaves the previous folder (or none) and never a half-written one.
 * Used by: cli package-starter, tests.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { decodeSentence } from '../../core/language';
import { createGpt } from '../../core/model/gpt';
import { assignVariables } from '../../core/model/weights';
import type { SamplingSettings } from '../../core/sample/choose';
import { sampleSentences, type ModelMeta, type SampledSentence } from '../../core/sample/sampler';
import { StudioError } from '../../shared/result';
import { loadCheckpoint, modelWeights, peekCheckpointState, writeInferenceCheckpoint, type CheckpointState } from '../runs/checkpoint';
import { readRunConfig, type RunConfigFile } from '../runs/store';
import { starterReadme, type SourceRun } from './starter-readme';

export const STARTER_MAX_BYTES = 20 * 2 ** 20;
export const STARTER_SAMPLING: Readonly<SamplingSettings> = Object.freeze({ temperature: 1, topK: 0, topP: 1 });
/** Seed of class c's samples: the same rule as `sample --per-class`, so that command redraws the grid. */
export const classSeed = (seed: number, classIndex: number): number => seed + classIndex * 100003;

export interface StarterOptions {
  runDir: string;
  id: string;
  /** Folder the model folder is created in (resources/models for shipped starters). */
  outRoot: string;
  /** The folder as the README's commands should name it (default resources/models/<id>). */
  modelPath?: string;
  perClass?: number;
  seed?: number;
  /**
   * The settings the model should be sampled with: recorded in config.json (the studio's and
   * the CLI's defaults for it) and used for the grid. Default: temperature 1, no filtering,
   * and nothing recorded.
   */
  sampling?: SamplingSettings;
  /** Integer upscaling of the grid (nearest neighbour). */
  scale?: number;
  maxBytes?: number;
  /** The command line that built the folder, quoted in the README. */
  command?: string;
  onProgress?(done: number, total: number): void;
  signal?: { readonly aborted: boolean };
}

export interface StarterResult {
  id: string;
  dir: string;
  step: number;
  params: number;
  files: { path: string; bytes: number }[];
  totalBytes: number;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Samples `perClass` images of every class and returns the sentences, class by class. */
async function sampleGrid(state: CheckpointState, weights: Parameters<typeof assignVariables>[1], o: Required<Pick<StarterOptions, 'perClass' | 'seed' | 'sampling'>> & Pick<StarterOptions, 'onProgress' | 'signal'>): Promise<SampledSentence[][]> {
  const model = createGpt(state.model);
  const meta: ModelMeta = { tokenizer: state.tokenizer, geometry: state.geometry, classes: state.classes, stats: state.stats };
  try {
    assignVariables(model, weights);
    const rows: SampledSentence[][] = [];
    for (let c = 0; c < meta.classes.length; c++) {
      rows.push(await sampleSentences(model, meta, { classIndex: c, count: o.perClass, startExponent: null, sampling: o.sampling, seed: classSeed(o.seed, c), batchSize: 16 }, { signal: o.signal }));
      o.onProgress?.((c + 1) * o.perClass, meta.classes.length * o.perClass);
    }
    return rows;
  } finally {
    model.dispose();
  }
}

/** Gray grid [rows x cols] of decoded images with a 2-pixel gutter, upscaled `scale` times, as PNG bytes. */
export async function gridPng(rows: SampledSentence[][], state: Pick<CheckpointState, 'geometry' | 'tokenizer'>, scale: number): Promise<Buffer> {
  const { width: w, height: h } = state.geometry;
  const gap = 2;
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const W = cols * w + (cols + 1) * gap;
  const H = rows.length * h + (rows.length + 1) * gap;
  const canvas = new Uint8Array(W * H).fill(48);
  rows.forEach((row, r) => row.forEach((s, c) => {
    const pixels = decodeSentence(s.tokens, s.startExponent, state.geometry, state.tokenizer).pixels;
    const top = gap + r * (h + gap);
    const left = gap + c * (w + gap);
    for (let y = 0; y < h; y++) canvas.set(pixels.subarray(y * w, (y + 1) * w), (top + y) * W + left);
  }));
  const image = sharp(Buffer.from(canvas), { raw: { width: W, height: H, channels: 1 } });
  return (scale > 1 ? image.resize(W * scale, H * scale, { kernel: 'nearest' }) : image).png({ compressionLevel: 9 }).toBuffer();
}

async function copyIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await fs.copyFile(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** How many samples and test sentences an eval report was made with, so the README's eval command reproduces it. */
function evalCounts(report: unknown): { samples: number; bitsImages: number } | undefined {
  const r = report as { samples?: { count?: unknown }; bits?: { images?: unknown; skipped?: unknown } | null } | null;
  const samples = r?.samples?.count;
  if (!Number.isSafeInteger(samples) || (samples as number) < 1) return undefined;
  if (!r?.bits) return { samples: samples as number, bitsImages: 0 };
  const { images, skipped } = r.bits;
  if (!Number.isSafeInteger(images) || !Number.isSafeInteger(skipped ?? 0)) return undefined;
  return { samples: samples as number, bitsImages: (images as number) + ((skipped as number | undefined) ?? 0) };
}

/**
 * Copies the run's eval report, naming the packaged folder as the model it describes (not
 * the run's folder on the machine that built it); false when the run has none, else the
 * counts it was made with (when it names them). A report that is not JSON is copied as it is.
 */
async function copyEvalReport(from: string, to: string, modelPath: string): Promise<false | { counts?: { samples: number; bitsImages: number } }> {
  let text: string;
  try {
    text = await fs.readFile(from, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    await fs.writeFile(to, text);
    return {};
  }
  const model = (report as { model?: unknown } | null)?.model;
  if (model && typeof model === 'object') (model as { path?: unknown }).path = modelPath;
  await fs.writeFile(to, `${JSON.stringify(report, null, 2)}\n`);
  return { counts: evalCounts(report) };
}

async function folderFiles(dir: string, prefix = ''): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number }[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await folderFiles(join(dir, entry.name), path)));
    else out.push({ path, bytes: (await fs.stat(join(dir, entry.name))).size });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Moves `staging` to `target`, replacing an existing folder (kept until the rename succeeded). */
async function swapInto(staging: string, target: string): Promise<void> {
  const old = `${target}.old-${randomBytes(4).toString('hex')}`;
  const hadOld = await fs.rename(target, old).then(() => true, (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return false;
    throw e;
  });
  try {
    await fs.rename(staging, target);
  } catch (e) {
    if (hadOld) await fs.rename(old, target).catch(() => undefined);
    throw e;
  }
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

/** Writes every file of the starter folder into `staging`. */
async function writeStarterFiles(staging: string, o: StarterOptions, loaded: { state: CheckpointState; weights: Parameters<typeof assignVariables>[1] }, config: RunConfigFile | undefined): Promise<void> {
  const perClass = o.perClass ?? 8;
  const seed = o.seed ?? 0;
  const sampling = o.sampling ?? STARTER_SAMPLING;
  await writeInferenceCheckpoint(staging, loaded.state, loaded.weights);
  if (config && (o.sampling || config.initFrom)) {
    // the source run is named as the README's commands name it, not by this machine's path
    const initFrom = config.initFrom ? { ...config.initFrom, path: `runs/${basename(config.initFrom.path)}` } : undefined;
    await fs.writeFile(join(staging, 'config.json'), `${JSON.stringify({ ...config, ...(initFrom ? { initFrom } : {}), ...(o.sampling ? { sampling: o.sampling } : {}) }, null, 2)}\n`);
  } else {
    await copyIfPresent(join(o.runDir, 'config.json'), join(staging, 'config.json'));
  }
  await copyIfPresent(join(o.runDir, 'metrics.jsonl'), join(staging, 'metrics.jsonl'));
  const evalCopy = await copyEvalReport(join(o.runDir, 'eval-report.json'), join(staging, 'eval-report.json'), o.modelPath ?? `resources/models/${o.id}`);
  const rows = await sampleGrid(loaded.state, loaded.weights, { perClass, seed, sampling, onProgress: o.onProgress, signal: o.signal });
  await fs.writeFile(join(staging, 'samples.png'), await gridPng(rows, loaded.state, o.scale ?? 2));
  const samples = rows.flat().map((s) => ({ classIndex: s.classIndex, seed: s.seed, startExponent: s.startExponent, complete: s.complete, tokens: Array.from(s.tokens).join('') }));
  await fs.writeFile(join(staging, 'samples.json'), `${JSON.stringify({ perClass, seed, sampling, classes: loaded.state.classes, samples })}\n`);
  await fs.writeFile(join(staging, 'README.md'), starterReadme({
    id: o.id, state: loaded.state, config, perClass, seed, hasEval: evalCopy !== false, evalCounts: evalCopy === false ? undefined : evalCopy.counts, command: o.command, modelPath: o.modelPath, sampling: o.sampling, sources: await sourceChain(config),
  }));
}

/**
 * The models a run started from (train --init-from), nearest first, as far as their folders
 * are still readable (at most 16), so the README can list every training command in order.
 */
async function sourceChain(config: RunConfigFile | undefined): Promise<SourceRun[]> {
  const chain: SourceRun[] = [];
  for (let from = config?.initFrom; from && chain.length < 16; ) {
    const state = await peekCheckpointState(from.path).catch(() => undefined);
    const sourceConfig = await readRunConfig(from.path).catch(() => undefined);
    if (!state) break;
    chain.push({ path: from.path, step: from.step, state, config: sourceConfig });
    from = sourceConfig?.initFrom;
  }
  return chain;
}

/** Builds outRoot/<id> from the run's newest intact checkpoint (optimizer state left out). */
export async function packageStarter(o: StarterOptions): Promise<StarterResult> {
  if (!ID_PATTERN.test(o.id)) throw new StudioError('BAD_REQUEST', `model id "${o.id}" must be letters, digits, '.', '_' or '-' (at most 80)`);
  const perClass = o.perClass ?? 8;
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 64) throw new StudioError('BAD_REQUEST', `samples per class must be 1..64, got ${perClass}`);
  const checkpoint = await loadCheckpoint(o.runDir, { optimizer: false });
  if (!checkpoint) throw new StudioError('NOT_FOUND', `${o.runDir} has no checkpoint to package`);
  const config = await readRunConfig(o.runDir);
  if (o.sampling && !config) throw new StudioError('BAD_REQUEST', `${o.runDir} has no config.json to record the recommended sampling in`);
  const maxBytes = o.maxBytes ?? STARTER_MAX_BYTES;
  const overLimit = (bytes: number): StudioError => new StudioError('BAD_REQUEST', `the starter folder would hold ${(bytes / 2 ** 20).toFixed(1)} MB, over the ${(maxBytes / 2 ** 20).toFixed(1)} MB limit`);
  const weights = modelWeights(checkpoint);
  const weightBytes = weights.reduce((n, w) => n + 4 * w.data.length, 0);
  if (weightBytes > maxBytes) throw overLimit(weightBytes); // before minutes of sampling
  await fs.mkdir(o.outRoot, { recursive: true });
  const staging = join(o.outRoot, `.${o.id}.tmp-${randomBytes(4).toString('hex')}`);
  const target = join(o.outRoot, o.id);
  try {
    await writeStarterFiles(staging, o, { state: checkpoint.state, weights }, config);
    const files = await folderFiles(staging);
    const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
    if (totalBytes > maxBytes) throw overLimit(totalBytes);
    await swapInto(staging, target);
    return { id: o.id, dir: target, step: checkpoint.state.step, params: checkpoint.state.params, files, totalBytes };
  } finally {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
