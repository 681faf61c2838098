/**
 * A training run on disk: config.json (resolved configs, dataset, preset), metrics.jsonl
 * (one MetricPoint a line), checkpoint/ (see checkpoint.ts), gallery/<step>.json (samples
 * taken while training). Listing and summaries for the service.
 * Used by: worker/jobs/train.ts, node/service/models.ts, cli train / sample.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { SamplingSettings } from '../../core/sample/choose';
import type { GeneratedSentence, MetricPoint, RunDetail, RunSummary } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { atomicWriteFile } from '../workspace';
import { peekCheckpointState } from './checkpoint';

export const RUN_SCHEMA_VERSION = 1;

export interface RunConfigFile {
  schemaVersion: number;
  runId: string;
  datasetId: string;
  preset: string;
  tokenizer: unknown;
  model: unknown;
  train: { steps: number };
  seed: number;
  createdAt: number;
  /** The model whose weights started this run (train --init-from), when one did. */
  initFrom?: { path: string; step: number; tokenizer: unknown };
  /**
   * The sampling settings the model is meant to be sampled with (package-starter
   * --temperature/--top-k/--top-p/--guidance/--guidance-planes): the studio's and the CLI's defaults for this model.
   */
  sampling?: SamplingSettings;
  /** Set when the run was trained outside the studio's trainer (node/runs/external.ts). */
  trainedWith?: TrainedWith;
}

/** How a run trained outside the studio's trainer was made. */
export interface TrainedWith {
  /** The program that trained the run. */
  trainer: string;
  /** The accelerator it ran on, as the trainer reported it. */
  device?: string;
  /** Versions of what it ran on, as reported. */
  versions?: Record<string, string>;
  /** The commands that reproduce the run, in order. */
  commands: string[];
}

export async function writeRunConfig(runDir: string, config: RunConfigFile): Promise<void> {
  await fs.mkdir(runDir, { recursive: true });
  await atomicWriteFile(join(runDir, 'config.json'), JSON.stringify(config, null, 2));
}

export async function readRunConfig(runDir: string): Promise<RunConfigFile | undefined> {
  try {
    return JSON.parse(await fs.readFile(join(runDir, 'config.json'), 'utf8')) as RunConfigFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StudioError('BAD_FILE', `cannot read ${join(runDir, 'config.json')}: ${(e as Error).message}`);
  }
}

export async function appendMetric(runDir: string, point: MetricPoint): Promise<void> {
  await fs.appendFile(join(runDir, 'metrics.jsonl'), `${JSON.stringify(point)}\n`);
}

/** Metrics in order; a torn last line (killed mid-append) is skipped. */
export async function readMetrics(runDir: string): Promise<MetricPoint[]> {
  const text = await fs.readFile(join(runDir, 'metrics.jsonl'), 'utf8').catch(() => '');
  const out: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as MetricPoint);
    } catch {
      // torn line
    }
  }
  return out;
}

/** On resume: drops metrics recorded after the checkpoint the run continues from. */
export async function truncateMetrics(runDir: string, step: number): Promise<void> {
  const kept = (await readMetrics(runDir)).filter((p) => p.step <= step);
  await atomicWriteFile(join(runDir, 'metrics.jsonl'), kept.map((p) => `${JSON.stringify(p)}\n`).join(''));
}

export async function writeGallery(runDir: string, step: number, samples: GeneratedSentence[]): Promise<void> {
  await fs.mkdir(join(runDir, 'gallery'), { recursive: true });
  await atomicWriteFile(join(runDir, 'gallery', `${String(step).padStart(8, '0')}.json`), JSON.stringify({ step, samples }));
}

export async function readGallery(runDir: string): Promise<RunDetail['gallery']> {
  const dir = join(runDir, 'gallery');
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const out: RunDetail['gallery'] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(await fs.readFile(join(dir, name), 'utf8')) as RunDetail['gallery'][number]);
    } catch {
      // skip a broken gallery file
    }
  }
  return out;
}

export async function runSummary(runDir: string): Promise<RunSummary | undefined> {
  const config = await readRunConfig(runDir);
  if (!config) return undefined;
  const metrics = await readMetrics(runDir);
  const state = await peekCheckpointState(runDir);
  const lastTrain = [...metrics].reverse().find((p) => p.trainLoss !== undefined);
  const lastVal = [...metrics].reverse().find((p) => p.valLoss !== undefined);
  const stat = await fs.stat(join(runDir, 'metrics.jsonl')).catch(() => fs.stat(join(runDir, 'config.json')));
  return {
    runId: config.runId ?? basename(runDir),
    datasetId: config.datasetId,
    preset: config.preset,
    step: state?.step ?? 0,
    totalSteps: config.train.steps,
    lastTrainLoss: lastTrain?.trainLoss,
    lastValLoss: lastVal?.valLoss,
    updatedAt: stat.mtimeMs,
    hasCheckpoint: state !== undefined,
  };
}

export async function runDetail(runDir: string): Promise<RunDetail> {
  const summary = await runSummary(runDir);
  if (!summary) throw new StudioError('NOT_FOUND', `no run at ${runDir}`);
  return { ...summary, config: await readRunConfig(runDir), metrics: await readMetrics(runDir), gallery: await readGallery(runDir) };
}

export async function listRunDirs(runsRoot: string): Promise<string[]> {
  const names = await fs.readdir(runsRoot).catch(() => [] as string[]);
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (await fs.stat(join(runsRoot, name, 'config.json')).then(() => true, () => false)) dirs.push(join(runsRoot, name));
  }
  return dirs;
}
