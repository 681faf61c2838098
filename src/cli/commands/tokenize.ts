/**
 * `tokenize`: codes a dataset split into wavelet-language sentences and reports sentence
 * lengths, start exponents, reconstruction PSNR and speed; `--dump` writes sentences as
 * JSON lines; `--cache` builds (or reuses) the workspace token cache instead.
 * Defaults come from the dataset's default tokenizer.
 * Used by: the CLI registry (src/cli/commands/index.ts).
 */
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar } from '../progress';
import { splitRange, type DatasetArrays, type DatasetSplit, type IndexRange } from '../../core/data/dataset';
import { exponentHistogram, lengthStats, lengthsFromOffsets } from '../../core/data/token-stats';
import type { TokenizerConfig } from '../../core/language/types';
import { StudioError } from '../../shared/result';
import { splitSchema, tokenizerConfigSchema } from '../../shared/schemas';
import { loadDataset } from '../../node/datasets/catalog';
import { toCacheSummary } from '../../node/datasets/summary';
import { ensureTokenCache } from '../../node/datasets/token-cache';
import { psnrSummary, tokenizeRange } from '../../node/datasets/tokenize-run';
import { ensureWorkspace, resolveWorkspace } from '../../node/workspace';

const options = {
  dataset: { type: 'string', description: 'mnist, fashion-mnist or an imported dataset id', default: 'mnist' },
  split: { type: 'string', description: 'train, test or all (train then test)', default: 'train' },
  wavelet: { type: 'string', description: 'haar, bior4.4 or bior2.2 (default: the dataset\'s)' },
  'final-threshold': { type: 'string', description: 'final threshold Tf: a power of two such as 0.125 or 2^-3 (default: the dataset\'s)' },
  variant: { type: 'string', description: 'blocks or zerotree (default: the dataset\'s)' },
  workspace: { type: 'string', description: 'workspace folder (default: WAVELET_STUDIO_HOME or the per-user data folder)' },
  first: { type: 'number', description: 'first image (index within the split)', default: 0 },
  count: { type: 'number', description: 'number of images (default: to the end of the split)' },
  dump: { type: 'string', description: 'write one JSON line per image {index, startExponent, tokens} to this file' },
  psnr: { type: 'boolean', description: 'decode every sentence and measure PSNR (--no-psnr skips it)', default: true },
  cache: { type: 'boolean', description: 'build or reuse the token cache of the whole dataset instead' },
  json: { type: 'boolean', description: 'print one JSON object with the figures as the last line' },
} as const;

/** "0.125", "2^-3", "2**-3" -> -3; anything that is not a power of two is an error. */
export function parseFinalThreshold(text: string): number {
  const power = /^\s*2\s*(?:\^|\*\*)\s*\(?\s*([-+]?\d+)\s*\)?\s*$/.exec(text);
  if (power) return Number(power[1]);
  const value = Number(text);
  const exponent = Math.log2(value);
  if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(exponent)) {
    throw new StudioError('BAD_REQUEST', `--final-threshold must be a power of two such as 0.125 or 2^-3, got "${text}"`);
  }
  return exponent;
}

function resolveTokenizer(args: ParsedArgs, defaults: TokenizerConfig): TokenizerConfig {
  const o = args.options;
  const candidate = {
    wavelet: typeof o.wavelet === 'string' ? o.wavelet : defaults.wavelet,
    finalExponent: typeof o['final-threshold'] === 'string' ? parseFinalThreshold(o['final-threshold']) : defaults.finalExponent,
    variant: typeof o.variant === 'string' ? o.variant : defaults.variant,
  };
  const parsed = tokenizerConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_REQUEST', `tokenizer ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function selectRange(args: ParsedArgs, data: DatasetArrays, split: DatasetSplit): IndexRange {
  const whole = splitRange(data.manifest.counts, split);
  const first = Number(args.options.first ?? 0);
  const count = args.options.count === undefined ? whole.count - first : Number(args.options.count);
  if (!Number.isInteger(first) || first < 0 || first > whole.count) {
    throw new StudioError('BAD_REQUEST', `--first must be an integer in 0..${whole.count} (the ${split} split has ${whole.count} images)`);
  }
  if (!Number.isInteger(count) || count < 1 || first + count > whole.count) {
    throw new StudioError('BAD_REQUEST', `--count must be an integer in 1..${whole.count - first} from --first ${first}`);
  }
  return { start: whole.start + first, count };
}

const fmt = (x: number, digits = 2): number => Number(x.toFixed(digits));

interface DumpWriter {
  path: string;
  onSentence: (i: number, tokens: Uint8Array, startExponent: number) => void;
  flush: () => Promise<void>;
  close: () => Promise<void>;
}

/** JSON lines {index, startExponent, tokens}, written batch by batch. */
async function openDump(path: string, firstIndex: number): Promise<DumpWriter> {
  const handle = await fs.open(path, 'w');
  let lines: string[] = [];
  return {
    path,
    onSentence: (i, tokens, startExponent) => lines.push(JSON.stringify({ index: firstIndex + i, startExponent, tokens: Array.from(tokens) })),
    flush: async () => {
      if (lines.length > 0) await handle.write(`${lines.join('\n')}\n`);
      lines = [];
    },
    close: () => handle.close(),
  };
}

async function runDirect(args: ParsedArgs, data: DatasetArrays, split: DatasetSplit, tokenizer: TokenizerConfig): Promise<Record<string, unknown>> {
  const range = selectRange(args, data, split);
  const firstIndex = range.start - splitRange(data.manifest.counts, split).start;
  const dump = typeof args.options.dump === 'string' ? await openDump(resolve(args.options.dump), firstIndex) : undefined;
  const bar = createProgressBar(`tokenize ${data.manifest.id}/${split}`, range.count);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const started = performance.now();
  try {
    const result = await tokenizeRange(data, range, tokenizer, {
      measurePsnr: args.options.psnr !== false,
      signal: abort.signal,
      onProgress: (done) => bar.update(done),
      onSentence: dump?.onSentence,
      flush: dump?.flush,
    });
    const seconds = (performance.now() - started) / 1000;
    bar.finish();
    const lengths = lengthStats(lengthsFromOffsets(result.offsets));
    const quality = psnrSummary(result.psnr);
    return {
      images: range.count,
      length: { mean: fmt(lengths.mean), max: lengths.max, min: lengths.min },
      startExponents: exponentHistogram(result.startExponents),
      psnr: args.options.psnr === false ? null : { mean: fmt(quality.mean, 3), min: fmt(quality.min, 3) },
      tokens: result.offsets[range.count],
      seconds: fmt(seconds, 3),
      images_per_s: fmt(range.count / seconds, 1),
      encode_seconds: fmt(result.encodeSeconds, 3),
      decode_seconds: fmt(result.decodeSeconds, 3),
      ...(dump ? { dump: dump.path } : {}),
    };
  } finally {
    process.removeListener('SIGINT', onSigint);
    await dump?.close();
  }
}

async function runCached(workspace: string, args: ParsedArgs, data: DatasetArrays, split: DatasetSplit, tokenizer: TokenizerConfig): Promise<Record<string, unknown>> {
  for (const name of ['first', 'count', 'dump'] as const) {
    if (args.options[name] !== undefined && !(name === 'first' && args.options.first === 0)) {
      throw new StudioError('BAD_REQUEST', `--${name} cannot be combined with --cache (the cache holds whole datasets)`);
    }
  }
  const n = data.manifest.counts.train + data.manifest.counts.test;
  const bar = createProgressBar(`token cache ${data.manifest.id}`, n);
  const started = performance.now();
  const { cache, hit } = await ensureTokenCache(workspace, data.manifest.id, tokenizer, { onProgress: (done) => bar.update(done) });
  const seconds = (performance.now() - started) / 1000;
  bar.finish(hit ? 'token cache hit' : 'built');
  const m = cache.manifest;
  const part = split === 'all' ? m.all : m[split];
  const images = split === 'all' ? n : m.counts[split];
  const summary = toCacheSummary(m, hit);
  return {
    images,
    length: { mean: fmt(part.lengths.mean), max: part.lengths.max, min: part.lengths.min },
    startExponents: part.startExponents,
    psnr: { mean: fmt(part.psnrMean, 3) },
    tokens: split === 'all' ? m.totalTokens : lengthsFromOffsets(cache.offsets, split === 'train' ? 0 : m.counts.train, images).reduce((a, b) => a + b, 0),
    seconds: fmt(seconds, 3),
    images_per_s: hit ? null : fmt(n / m.buildSeconds, 1),
    cache: { hit, key: m.key, dir: cache.dir, buildSeconds: fmt(m.buildSeconds, 3), bytes: summary.bytes, files: m.bytes },
  };
}

function report(out: Record<string, unknown>, json: boolean): void {
  const length = out.length as { mean: number; min: number; max: number };
  const psnr = out.psnr as { mean: number } | null;
  const cache = out.cache as { hit: boolean; dir: string; bytes: number } | undefined;
  const lines = [
    `${out.dataset} ${out.split} with ${JSON.stringify(out.tokenizer)}: ${out.images} images`,
    `length mean ${length.mean}, min ${length.min}, max ${length.max}; ${out.tokens} tokens`,
    `start exponents (log2 T0: images) ${Object.entries(out.startExponents as Record<string, number>).sort(([a], [b]) => Number(a) - Number(b)).map(([e, n]) => `${e}: ${n}`).join(', ')}`,
    psnr ? `PSNR mean ${psnr.mean} dB` : 'PSNR not measured',
    cache ? `${cache.hit ? 'token cache hit' : 'token cache built'}: ${cache.dir} (${cache.bytes} bytes)` : `${out.seconds} s, ${out.images_per_s} images/s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
}

export const command: CliCommand = {
  summary: 'code a dataset into wavelet-language sentences and report lengths, start exponents, PSNR and speed',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const split = splitSchema.safeParse(args.options.split);
    if (!split.success) throw new StudioError('BAD_REQUEST', `--split must be train, test or all, got "${String(args.options.split)}"`);
    const workspace = resolveWorkspace(typeof args.options.workspace === 'string' ? args.options.workspace : undefined);
    await ensureWorkspace(workspace);
    const data = await loadDataset(workspace, String(args.options.dataset));
    const tokenizer = resolveTokenizer(args, data.manifest.defaultTokenizer);
    const figures = args.options.cache
      ? await runCached(workspace, args, data, split.data, tokenizer)
      : await runDirect(args, data, split.data, tokenizer);
    report({ dataset: data.manifest.id, split: split.data, tokenizer, ...figures }, Boolean(args.options.json));
  },
};
