/**
 * The token cache: every sentence of a dataset (train then test) under one tokenizer
 * config, built once and stored under tokens/<datasetId>/<key>/ (format and key in
 * core/data/token-cache-format.ts). A cache whose key matches is reused ("token cache
 * hit"); a changed config or dataset gives a new key and a new build. Builds are atomic
 * (temp folder, then rename); a corrupt cache is rebuilt.
 * Used by: worker/jobs/tokenize.ts, node/service/datasets.ts, core/train through
 * getTokenCorpus, cli/commands/tokenize.ts.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { splitRange, type DatasetArrays } from '../../core/data/dataset';
import {
  TOKEN_CACHE_FORMAT_VERSION, TOKEN_FILES, tokenCacheKeyText, type SplitTokenStats, type TokenCacheManifest,
} from '../../core/data/token-cache-format';
import { exponentHistogram, exponentHistogramPerClass, lengthStats, lengthsFromOffsets } from '../../core/data/token-stats';
import { geometryFor } from '../../core/language/index';
import type { TokenizerConfig } from '../../core/language/types';
import { workspaceLayout } from '../workspace';
import { uint16FromLeBytes, uint16ToLeBytes, uint32FromLeBytes, uint32ToLeBytes } from './le-bytes';
import { loadDataset } from './catalog';
import { throwIfAborted } from './errors';
import { makeTempDir, sweepStaleTemps } from './store';
import { psnrSummary, tokenizeRange, type TokenizeResult } from './tokenize-run';

export interface CacheOptions {
  onProgress?: (done: number, total: number, message?: string) => void;
  signal?: AbortSignal;
  pauseGate?: () => Promise<void>;
}

/** A loaded cache: the manifest and the flat arrays of all sentences (train then test). */
export interface TokenCache {
  manifest: TokenCacheManifest;
  dir: string;
  tokens: Uint8Array;
  offsets: Uint32Array;
  startExponents: Int8Array;
  labels: Uint16Array;
}

export interface EnsuredCache {
  cache: TokenCache;
  /** True when an existing cache was reused. */
  hit: boolean;
}

export function tokenCacheKey(datasetContentHash: string, tokenizer: TokenizerConfig): string {
  return createHash('sha256').update(tokenCacheKeyText(datasetContentHash, tokenizer)).digest('hex').slice(0, 20);
}

export function tokenCacheDir(workspace: string, datasetId: string, key: string): string {
  return join(workspaceLayout(workspace).tokens, datasetId, key);
}

async function readFile(dir: string, name: string): Promise<Uint8Array> {
  const buf = await fs.readFile(join(dir, name));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads and checks a cache folder; undefined when absent, corrupt or of another format. */
export async function readTokenCache(dir: string): Promise<TokenCache | undefined> {
  try {
    const manifest = JSON.parse(await fs.readFile(join(dir, TOKEN_FILES.manifest), 'utf8')) as TokenCacheManifest;
    if (manifest.formatVersion !== TOKEN_CACHE_FORMAT_VERSION) return undefined;
    const n = manifest.counts.train + manifest.counts.test;
    const tokens = await readFile(dir, TOKEN_FILES.tokens);
    const offBytes = await readFile(dir, TOKEN_FILES.offsets);
    const expBytes = await readFile(dir, TOKEN_FILES.startExponents);
    const labBytes = await readFile(dir, TOKEN_FILES.labels);
    if (offBytes.length !== 4 * (n + 1) || expBytes.length !== n || labBytes.length !== 2 * n) return undefined;
    const offsets = uint32FromLeBytes(offBytes);
    if (offsets[0] !== 0 || offsets[n] !== tokens.length || manifest.totalTokens !== tokens.length) return undefined;
    const labels = uint16FromLeBytes(labBytes);
    const startExponents = new Int8Array(expBytes.buffer, expBytes.byteOffset, n);
    return { manifest, dir, tokens, offsets, startExponents, labels };
  } catch {
    return undefined;
  }
}

function splitStats(data: DatasetArrays, offsets: Uint32Array, exps: Int8Array, psnr: Float64Array, split: 'train' | 'test'): SplitTokenStats {
  const { start, count } = splitRange(data.manifest.counts, split);
  const labels = data.labels.subarray(start, start + count);
  const exp = exps.subarray(start, start + count);
  const q = psnrSummary(psnr.subarray(start, start + count));
  return {
    lengths: lengthStats(lengthsFromOffsets(offsets, start, count)),
    startExponents: exponentHistogram(exp),
    startExponentsPerClass: exponentHistogramPerClass(exp, labels, data.manifest.classes.length),
    psnrMean: q.mean,
    psnrMin: q.min,
  };
}

/** Encodes every image into `temp`: tokens.bin streamed batch by batch, then the side files. */
async function writeTokenFiles(temp: string, data: DatasetArrays, tokenizer: TokenizerConfig, options: CacheOptions): Promise<TokenizeResult> {
  const handle = await fs.open(join(temp, TOKEN_FILES.tokens), 'w');
  let pending: Uint8Array[] = [];
  const n = data.manifest.counts.train + data.manifest.counts.test;
  let result: TokenizeResult;
  try {
    result = await tokenizeRange(data, { start: 0, count: n }, tokenizer, {
      ...options,
      onProgress: (done, total) => options.onProgress?.(done, total, 'tokenizing'),
      measurePsnr: true,
      onSentence: (_i, tokens) => pending.push(tokens),
      flush: async () => {
        const chunk = Buffer.concat(pending);
        pending = [];
        await handle.write(chunk);
      },
    });
  } finally {
    await handle.close();
  }
  await fs.writeFile(join(temp, TOKEN_FILES.offsets), uint32ToLeBytes(result.offsets));
  await fs.writeFile(join(temp, TOKEN_FILES.startExponents), new Uint8Array(result.startExponents.buffer));
  await fs.writeFile(join(temp, TOKEN_FILES.labels), uint16ToLeBytes(data.labels));
  return result;
}

async function fileSizes(dir: string): Promise<Record<string, number>> {
  const bytes: Record<string, number> = {};
  for (const name of [TOKEN_FILES.tokens, TOKEN_FILES.offsets, TOKEN_FILES.startExponents, TOKEN_FILES.labels]) {
    bytes[name] = (await fs.stat(join(dir, name))).size;
  }
  return bytes;
}

function cacheManifest(data: DatasetArrays, tokenizer: TokenizerConfig, key: string, result: TokenizeResult, buildSeconds: number, bytes: Record<string, number>): TokenCacheManifest {
  const { offsets, startExponents, psnr } = result;
  return {
    formatVersion: TOKEN_CACHE_FORMAT_VERSION,
    key,
    datasetId: data.manifest.id,
    datasetContentHash: data.manifest.contentHash,
    tokenizer: { wavelet: tokenizer.wavelet, finalExponent: tokenizer.finalExponent, variant: tokenizer.variant },
    geometry: geometryFor(data.manifest.width, data.manifest.height),
    classes: data.manifest.classes,
    counts: data.manifest.counts,
    totalTokens: offsets[offsets.length - 1],
    train: splitStats(data, offsets, startExponents, psnr, 'train'),
    test: splitStats(data, offsets, startExponents, psnr, 'test'),
    all: { lengths: lengthStats(lengthsFromOffsets(offsets)), startExponents: exponentHistogram(startExponents), psnrMean: psnrSummary(psnr).mean },
    buildSeconds,
    bytes,
    created: new Date().toISOString(),
  };
}

/** Encodes the whole dataset into a fresh temp folder and renames it into place. */
async function buildInto(data: DatasetArrays, tokenizer: TokenizerConfig, key: string, finalDir: string, workspace: string, options: CacheOptions): Promise<TokenCache> {
  const started = performance.now();
  const parent = join(workspaceLayout(workspace).tokens, data.manifest.id);
  await sweepStaleTemps(parent);
  const temp = await makeTempDir(parent);
  try {
    const result = await writeTokenFiles(temp, data, tokenizer, options);
    const manifest = cacheManifest(data, tokenizer, key, result, (performance.now() - started) / 1000, await fileSizes(temp));
    await fs.writeFile(join(temp, TOKEN_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    throwIfAborted(options.signal, 'tokenizing');
    await fs.rm(finalDir, { recursive: true, force: true }); // a corrupt cache of the same key
    await fs.rename(temp, finalDir).catch(async (e: unknown) => {
      if (!(await readTokenCache(finalDir))) throw e; // else another build won the race: use it
    });
  } finally {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
  }
  const cache = await readTokenCache(finalDir);
  if (!cache) throw new Error(`the token cache just written to ${finalDir} cannot be read back`);
  return cache;
}

const recent = new Map<string, TokenCache>();

/** The cache of (dataset, tokenizer): reused when present, built (with progress) when not. */
export async function ensureTokenCache(workspace: string, datasetId: string, tokenizer: TokenizerConfig, options: CacheOptions = {}): Promise<EnsuredCache> {
  const data = await loadDataset(workspace, datasetId);
  const key = tokenCacheKey(data.manifest.contentHash, tokenizer);
  const dir = tokenCacheDir(workspace, datasetId, key);
  let remembered = recent.get(dir);
  if (remembered && !(await fs.stat(join(dir, TOKEN_FILES.manifest)).catch(() => undefined))) {
    recent.delete(dir); // removed from disk since
    remembered = undefined;
  }
  const existing = remembered ?? (await readTokenCache(dir));
  if (existing) {
    recent.set(dir, existing);
    const n = existing.offsets.length - 1;
    options.onProgress?.(n, n, 'token cache hit');
    return { cache: existing, hit: true };
  }
  const cache = await buildInto(data, tokenizer, key, dir, workspace, options);
  recent.clear(); // keep one corpus in memory at a time
  recent.set(dir, cache);
  return { cache, hit: false };
}

/** The manifest of the cache of (dataset, tokenizer) when one exists; never builds. */
export async function findTokenCacheManifest(workspace: string, datasetId: string, tokenizer: TokenizerConfig): Promise<TokenCacheManifest | undefined> {
  const data = await loadDataset(workspace, datasetId);
  const dir = tokenCacheDir(workspace, datasetId, tokenCacheKey(data.manifest.contentHash, tokenizer));
  try {
    const manifest = JSON.parse(await fs.readFile(join(dir, TOKEN_FILES.manifest), 'utf8')) as TokenCacheManifest;
    return manifest.formatVersion === TOKEN_CACHE_FORMAT_VERSION ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Drops the in-memory copies (tests; after a dataset is removed). */
export function forgetTokenCaches(): void {
  recent.clear();
}
