/**
 * Response DTOs of StudioApi: plain JSON objects that cross process boundaries.
 * Pixels travel as base64 of row-major uint8 grayscale.
 * Used by: shared/api.ts, node/service, worker, renderer.
 */
import type { Split, TokenizerConfigDto, SentenceDto, SamplingDto } from './schemas';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface SystemInfo {
  version: string;
  mode: 'electron' | 'browser';
  workspace: string;
  /** Backends this machine can load, best first, and why the others cannot. */
  backends: { name: BackendName; available: boolean; reason?: string }[];
}

/** A path the user chose in a native dialog; null when cancelled or in browser mode. */
export interface PickedPath {
  path: string | null;
}

export interface DatasetSummary {
  id: string;
  name: string;
  builtin: boolean;
  classes: string[];
  width: number;
  height: number;
  counts: { train: number; test: number };
  source: string;
  contentHash: string;
  /** The tokenizer the dataset is usually coded with (paper settings for the built-ins). */
  defaultTokenizer: TokenizerConfigDto;
  /** Human-readable remarks from loading, e.g. "2 empty records skipped". */
  notes: string[];
}

export interface DatasetThumb {
  index: number; // index within the split (for 'all': train then test)
  label: number;
  pixels: string; // base64 uint8, width*height
}

export interface DatasetPage {
  total: number;
  width: number;
  height: number;
  items: DatasetThumb[];
}

export interface DatasetItem {
  datasetId: string;
  split: Split;
  index: number;
  label: number;
  width: number;
  height: number;
  pixels: string;
  tokenizer: TokenizerConfigDto;
  sentence: SentenceDto;
}

export interface Histogram {
  [bucket: string]: number;
}

export interface DatasetStats {
  datasetId: string;
  classCounts: { train: number[]; test: number[] };
  tokenizer?: TokenizerConfigDto;
  /** Present only when a token cache for that tokenizer exists. */
  lengths?: { mean: number; min: number; max: number; histogram: { start: number; width: number; counts: number[] } };
  startExponents?: Histogram;
}

export type JobKind = 'train' | 'sample' | 'edit' | 'tokenize' | 'import' | 'eval';
export type JobState = 'queued' | 'running' | 'paused' | 'done' | 'error' | 'cancelled';

export interface JobRef {
  jobId: string;
  kind: JobKind;
}

export interface MetricPoint {
  step: number;
  trainLoss?: number;
  valLoss?: number;
  /** Validation loss of the moving average of the weights (runs with train.emaDecay > 0). */
  emaValLoss?: number;
  lr?: number;
  tokensPerSec?: number;
  wallSec: number;
}

export interface GeneratedSentence extends SentenceDto {
  classIndex: number;
  seed: number;
  /** Image side of the padded square the sentence codes, and the crop to show. */
  size: number;
  width: number;
  height: number;
}

/** Events pushed from jobs to the UI; every one names its job. */
export type JobEvent =
  | { jobId: string; kind: JobKind; type: 'started'; backend?: BackendName; total?: number; detail?: string }
  | { jobId: string; kind: JobKind; type: 'progress'; done: number; total: number; etaSec?: number; message?: string; rssMb?: number }
  | { jobId: string; kind: JobKind; type: 'metrics'; point: MetricPoint }
  | { jobId: string; kind: JobKind; type: 'tokens'; sample: number; tokens: number[]; startExponent: number; length: number; total: number }
  | { jobId: string; kind: JobKind; type: 'state'; state: JobState }
  | { jobId: string; kind: JobKind; type: 'done'; result: unknown }
  | { jobId: string; kind: JobKind; type: 'error'; code: string; message: string };

export interface JobSnapshot {
  jobId: string;
  kind: JobKind;
  state: JobState;
  startedAt: number;
  backend?: BackendName;
  lastProgress?: { done: number; total: number; etaSec?: number; message?: string };
  /** Metrics so far (train jobs) and sentences so far (sample/edit jobs). */
  metrics: MetricPoint[];
  result?: unknown;
  error?: { code: string; message: string };
  request: unknown;
  /** Sample and edit jobs: the sentences so far, one per sample, so a reloaded page can follow on. */
  partial?: { sample: number; tokens: number[]; startExponent: number }[];
}

export interface RunSummary {
  runId: string;
  datasetId: string;
  preset: string;
  step: number;
  totalSteps: number;
  lastTrainLoss?: number;
  lastValLoss?: number;
  updatedAt: number;
  hasCheckpoint: boolean;
}

export interface RunDetail extends RunSummary {
  config: unknown; // the resolved config saved with the run
  metrics: MetricPoint[];
  /** Gallery: samples taken during training, per step. */
  gallery: { step: number; samples: GeneratedSentence[] }[];
}

export interface ModelSummary {
  modelId: string;
  source: 'starter' | 'run' | 'imported';
  datasetId: string;
  classes: string[];
  tokenizer: TokenizerConfigDto;
  width: number;
  height: number;
  size: number;
  params: number;
  step: number;
  evalReport?: unknown;
  /** The model's recommended sampling settings, when its folder names them. */
  sampling?: SamplingDto;
  /** Share of training sentences fed without their class (0: guidance has no unconditional model to use). */
  classDropout: number;
}

export interface SampleResult {
  sentences: GeneratedSentence[];
  sampling: SamplingDto;
  backend: BackendName;
  wallSec: number;
}
