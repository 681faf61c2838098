/**
 * Sampling sentences of a class: start exponent from the class histogram (or given),
 * optional robust start (LL Gaussian), rollback (continue a given sentence from token k
 * with new seed / class / settings), batches, and region regeneration (spec §7).
 * Every sample has its own PRNG derived from (seed, sample index), so a sample does not
 * depend on the batch it ran in: same seed + model + backend -> same sentence.
 * Used by: worker/jobs/sample.ts, worker/jobs/edit.ts, worker train job (gallery), cli.
 */
import type { Geometry, RegionAllow, TokenizerConfig } from '../language';
import { assertRegionVariant, createRegionStepper, createStepper, regionCoefficients } from '../language';
import type { Gpt } from '../model/gpt';
import { createPrng, derivedSeed } from '../model/prng';
import type { CancelSignal } from '../model/runtime';
import type { SamplingSettings } from './choose';
import { generate, type GenerateEvent } from './generate';
import { drawLowPass, drawStartExponent, lowPassConstraint, type ClassStartStats } from './start';

export interface ModelMeta {
  tokenizer: TokenizerConfig;
  geometry: Geometry;
  classes: string[];
  stats: ClassStartStats[];
}

export interface SampleRequest {
  classIndex: number;
  count: number;
  /** null: drawn from the class histogram. */
  startExponent: number | null;
  sampling: SamplingSettings;
  seed: number;
  robustStart?: boolean;
  /** Rollback: keep the first `from` tokens of `prefix` and continue. */
  prefix?: { tokens: ArrayLike<number>; startExponent: number };
  from?: number;
  /** Sentences generated together (default: all). */
  batchSize?: number;
  previewEvery?: number;
}

export interface SampledSentence {
  tokens: Uint8Array;
  startExponent: number;
  classIndex: number;
  seed: number;
  complete: boolean;
}

export interface SampleHooks {
  /** Events carry the sample index (not the row within a batch). */
  onEvent?(event: GenerateEvent): void;
  signal?: CancelSignal;
  useCache?: boolean;
}

function checkClass(meta: ModelMeta, classIndex: number): void {
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= meta.classes.length) {
    throw new RangeError(`class ${classIndex} is out of range: the model knows ${meta.classes.length} classes`);
  }
}

function rowFor(meta: ModelMeta, request: SampleRequest, index: number): { row: Parameters<typeof generate>[1][number]; startExponent: number; seed: number } {
  const seed = derivedSeed(request.seed, index);
  const rng = createPrng(seed);
  const stats = meta.stats[request.classIndex];
  let startExponent: number;
  let constrain;
  let prefix: ArrayLike<number> | undefined;
  if (request.prefix) {
    const from = Math.min(request.from ?? request.prefix.tokens.length, request.prefix.tokens.length);
    startExponent = request.prefix.startExponent;
    prefix = Array.from(request.prefix.tokens).slice(0, from);
  } else if (request.robustStart && stats?.ll) {
    const drawn = drawLowPass(stats.ll, rng, request.startExponent);
    startExponent = Math.max(drawn.startExponent, meta.tokenizer.finalExponent);
    constrain = lowPassConstraint(drawn.values, startExponent);
  } else {
    startExponent = request.startExponent ?? drawStartExponent(stats?.startExponents ?? {}, rng);
  }
  const stepper = createStepper(startExponent, meta.geometry, meta.tokenizer);
  return { row: { stepper, startExponent, classIndex: request.classIndex, rng, prefix, constrain }, startExponent, seed };
}

export async function sampleSentences(model: Gpt, meta: ModelMeta, request: SampleRequest, hooks: SampleHooks = {}): Promise<SampledSentence[]> {
  checkClass(meta, request.classIndex);
  const batchSize = Math.max(1, request.batchSize ?? request.count);
  const results: SampledSentence[] = [];
  for (let first = 0; first < request.count; first += batchSize) {
    const specs = Array.from({ length: Math.min(batchSize, request.count - first) }, (_, i) => rowFor(meta, request, first + i));
    const rows = await generate(model, specs.map((s) => s.row), {
      sampling: request.sampling,
      size: meta.geometry.size,
      useCache: hooks.useCache,
      previewEvery: request.previewEvery,
      signal: hooks.signal,
      onEvent: hooks.onEvent && ((e) => hooks.onEvent?.(e.type === 'tokens' ? { ...e, row: e.row + first } : e)),
    });
    rows.forEach((r, i) => results.push({ tokens: r.tokens, startExponent: specs[i].startExponent, classIndex: request.classIndex, seed: specs[i].seed, complete: r.complete }));
  }
  return results;
}

export interface RegionRequest {
  source: { tokens: ArrayLike<number>; startExponent: number };
  /** Pixel mask [height * width], non-zero inside the region. */
  mask: Uint8Array;
  selection: 'touching' | 'contained';
  allow?: RegionAllow;
  classIndex: number;
  /** Class fed at positions whose slot lies in the region (default classIndex). */
  regionClass?: number;
  count: number;
  sampling: SamplingSettings;
  seed: number;
  previewEvery?: number;
}

/** Regenerates the region of a source sentence `count` times; outside it stays exactly as the source. */
export async function regenerateRegion(model: Gpt, meta: ModelMeta, request: RegionRequest, hooks: SampleHooks = {}): Promise<SampledSentence[]> {
  assertRegionVariant(meta.tokenizer);
  checkClass(meta, request.classIndex);
  const regionClass = request.regionClass ?? request.classIndex;
  checkClass(meta, regionClass);
  const { geometry, tokenizer } = meta;
  const owned = regionCoefficients(request.mask, geometry.width, geometry.height, geometry, tokenizer.wavelet, request.selection);
  const M = geometry.size;
  const seeds = Array.from({ length: request.count }, (_, i) => derivedSeed(request.seed, i));
  const rows = seeds.map((seed) => ({
    stepper: createRegionStepper(request.source, geometry, tokenizer, owned, request.allow),
    startExponent: request.source.startExponent,
    classIndex: request.classIndex,
    classAt: (slot: { row: number; col: number }) => (owned[slot.row * M + slot.col] ? regionClass : request.classIndex),
    rng: createPrng(seed),
  }));
  const out = await generate(model, rows, { sampling: request.sampling, size: M, useCache: hooks.useCache, previewEvery: request.previewEvery, signal: hooks.signal, onEvent: hooks.onEvent });
  return out.map((r, i) => ({ tokens: r.tokens, startExponent: request.source.startExponent, classIndex: regionClass, seed: seeds[i], complete: r.complete }));
}
