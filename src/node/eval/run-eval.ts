/**
 * The evaluation of one model: generate N class-conditional samples, decode them, and
 * measure class consistency and FID with the dataset's judge (FID against the test split,
 * with the train-vs-test floor at the same N), bits per image of real test sentences
 * under the model, and wall time per image. The model is reached through EvalModel, so
 * this file does not depend on how runs are stored or how the sampler is built.
 * Used by: worker/jobs/eval.ts, cli eval, tests (with a fake model).
 */
import * as tf from '@tensorflow/tfjs';
import { bitsPerImage, type BitsResult, type SentenceScorer } from '../../core/eval/bits';
import { classConsistency, type ClassConsistency } from '../../core/eval/consistency';
import { featureStats, frechetDistance } from '../../core/eval/fid';
import { judgeImages, type ImageSet } from '../../core/eval/judge';
import { EVAL_REPORT_KIND, EVAL_REPORT_SCHEMA_VERSION, type EvalReport, type FidResult, type LanguageCeiling } from '../../core/eval/report';
import type { TokenCorpus } from '../../core/data/corpus';
import { decodeSentence, encodeImage } from '../../core/language';
import type { Geometry, TokenizerConfig } from '../../core/language/types';
import type { SamplingSettings } from '../../core/sample/choose';
import type { LabelledImages } from '../../core/eval/judge-train';
import { isBuiltinId, loadBuiltinImages, subsetOf } from './builtin-images';
import { loadJudge, shippedJudgeDir, type LoadedJudge } from './judge-store';

export interface GeneratedSentence {
  classIndex: number;
  tokens: Uint8Array;
  startExponent: number;
}

/** What the evaluation needs of a model. */
export interface EvalModel {
  path: string;
  datasetId: string;
  classes: string[];
  tokenizer: TokenizerConfig;
  geometry: Geometry;
  step: number;
  params: number;
  backend: string;
  sampling: SamplingSettings;
  /** `count` sentences of one class, reproducible from `seed`. */
  generate(classIndex: number, count: number, seed: number): Promise<GeneratedSentence[]>;
  /** Scores sentences (bits per image); null when the model cannot. */
  scorer: SentenceScorer | null;
}

export type EvalStage = 'sampling' | 'judging' | 'bits';

export interface EvalOptions {
  samples: number;
  seed: number;
  /** Judge folder (default: the shipped judge of the model's dataset). */
  judgeDir?: string;
  /** Test sentences scored for bits per image (default 500). */
  bitsImages?: number;
  /** How samples are drawn (default: temperature 1, no filtering: the model's own distribution). */
  sampling?: SamplingSettings;
  /** Sentences generated per generate() call. */
  chunk?: number;
  signal?: AbortSignal;
  onProgress?: (stage: EvalStage, done: number, total: number) => void;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('evaluation cancelled'), { code: 'CANCELLED' });
}

/** Balanced requests: N / K samples per class, the first N mod K classes one more. */
export function samplesPerClass(samples: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => Math.floor(samples / classes) + (c < samples % classes ? 1 : 0));
}

async function generateAll(model: EvalModel, options: EvalOptions): Promise<{ sentences: GeneratedSentence[]; seconds: number }> {
  const counts = samplesPerClass(options.samples, model.classes.length);
  const chunk = options.chunk ?? 16;
  const sentences: GeneratedSentence[] = [];
  const started = performance.now();
  for (let c = 0; c < counts.length; c++) {
    for (let start = 0; start < counts[c]; start += chunk) {
      throwIfCancelled(options.signal);
      const seed = (options.seed + 1_000_003 * c + start) >>> 0; // distinct streams per class and chunk
      sentences.push(...(await model.generate(c, Math.min(chunk, counts[c] - start), seed)));
      options.onProgress?.('sampling', sentences.length, options.samples);
    }
  }
  return { sentences, seconds: (performance.now() - started) / 1000 };
}

/** Decodes sentences into one uint8 image set (the crop the judge sees). */
export function decodeAll(sentences: GeneratedSentence[], model: Pick<EvalModel, 'geometry' | 'tokenizer'>): ImageSet {
  const { width, height } = model.geometry;
  const pixels = new Uint8Array(sentences.length * width * height);
  sentences.forEach((s, i) => pixels.set(decodeSentence(s.tokens, s.startExponent, model.geometry, model.tokenizer).pixels, i * width * height));
  return { count: sentences.length, size: width, pixels };
}

async function judgeMetrics(judge: LoadedJudge, model: EvalModel, sentences: GeneratedSentence[], options: EvalOptions): Promise<{ consistency: ClassConsistency; fid: FidResult; ceiling: LanguageCeiling }> {
  const images = decodeAll(sentences, model);
  const generated = await judgeImages(judge.model, images);
  const consistency = classConsistency(sentences.map((s) => s.classIndex), generated.predictions, model.classes.length);
  const { fid, ceiling } = await fidWithFloor(judge, model.datasetId as 'mnist', generated.features, images.count, options.seed, model.tokenizer);
  return { consistency, fid, ceiling };
}

/** Real images encoded and decoded with `tokenizer` (what a perfect model of that language would draw). */
export function throughLanguage(images: LabelledImages, tokenizer: TokenizerConfig): { images: LabelledImages; meanTokens: number } {
  const area = images.size * images.size;
  const pixels = new Uint8Array(images.count * area);
  let tokens = 0;
  for (let i = 0; i < images.count; i++) {
    const encoded = encodeImage(images.pixels.subarray(i * area, (i + 1) * area) as Uint8Array, images.size, images.size, tokenizer);
    tokens += encoded.tokens.length;
    pixels.set(decodeSentence(encoded.tokens, encoded.startExponent, encoded.geometry, tokenizer).pixels, i * area);
  }
  return { images: { ...images, pixels }, meanTokens: tokens / Math.max(1, images.count) };
}

/**
 * FID of `features` vs N test images; the floor: N train vs the same N test images; the
 * language ceiling: those train images passed through `tokenizer`, judged and measured.
 */
export async function fidWithFloor(judge: LoadedJudge, datasetId: 'mnist' | 'fashion-mnist', features: Float32Array, count: number, seed: number, tokenizer: TokenizerConfig): Promise<{ fid: FidResult; ceiling: LanguageCeiling }> {
  const test = subsetOf(await loadBuiltinImages(datasetId, 'test'), count, seed + 1);
  const train = subsetOf(await loadBuiltinImages(datasetId, 'train'), count, seed + 2);
  const testOut = await judgeImages(judge.model, test);
  const trainOut = await judgeImages(judge.model, train);
  const dim = testOut.featureDim;
  const reference = featureStats(testOut.features, test.count, dim);
  const fid: FidResult = {
    value: frechetDistance(featureStats(features, count, dim), reference),
    sampleCount: count,
    referenceCount: test.count,
    featureDim: dim,
    floor: frechetDistance(featureStats(trainOut.features, train.count, dim), reference),
  };
  const coded = throughLanguage(train, tokenizer);
  const codedOut = await judgeImages(judge.model, coded.images);
  const correct = codedOut.predictions.reduce((n, p, i) => n + (p === train.labels[i] ? 1 : 0), 0);
  return {
    fid,
    ceiling: {
      accuracy: correct / Math.max(1, train.count),
      fid: frechetDistance(featureStats(codedOut.features, train.count, dim), reference),
      count: train.count,
      meanTokens: coded.meanTokens,
    },
  };
}

/** Real test images of the dataset, encoded with the model's tokenizer, as a corpus. */
async function testCorpus(model: EvalModel, count: number, seed: number): Promise<TokenCorpus> {
  const test = subsetOf(await loadBuiltinImages(model.datasetId as 'mnist', 'test'), count, seed + 3);
  const area = test.size * test.size;
  const encoded = Array.from({ length: test.count }, (_, i) => encodeImage(test.pixels.subarray(i * area, (i + 1) * area) as Uint8Array, test.size, test.size, model.tokenizer));
  const offsets = new Uint32Array(encoded.length + 1);
  encoded.forEach((e, i) => { offsets[i + 1] = offsets[i] + e.tokens.length; });
  const tokens = new Uint8Array(offsets[encoded.length]);
  encoded.forEach((e, i) => tokens.set(e.tokens, offsets[i]));
  return {
    tokenizer: model.tokenizer, geometry: encoded[0].geometry, classes: model.classes, offsets, tokens,
    startExponents: Int8Array.from(encoded.map((e) => e.startExponent)), labels: Uint16Array.from(test.labels),
  };
}

async function bitsMetric(model: EvalModel, options: EvalOptions): Promise<BitsResult> {
  const corpus = await testCorpus(model, options.bitsImages ?? 500, options.seed);
  return bitsPerImage(model.scorer as SentenceScorer, corpus, {
    batchSize: 8, signal: options.signal, onProgress: (d, t) => options.onProgress?.('bits', d, t),
  });
}

/** Runs every metric the model and dataset allow; notes say what was left out and why. */
export async function evaluateModel(model: EvalModel, options: EvalOptions): Promise<EvalReport> {
  const notes: string[] = [];
  const { sentences, seconds } = await generateAll(model, options);
  const tokenCount = sentences.reduce((a, s) => a + s.tokens.length, 0);
  let judgeInfo: EvalReport['judge'] = null;
  let consistency: ClassConsistency | null = null;
  let fid: FidResult | null = null;
  let ceiling: LanguageCeiling | null = null;
  const builtin = isBuiltinId(model.datasetId);
  if (!builtin) notes.push(`class consistency and FID: no judge for dataset "${model.datasetId}" (judges exist for mnist and fashion-mnist)`);
  if (builtin) {
    throwIfCancelled(options.signal);
    options.onProgress?.('judging', 0, 1);
    const judge = await loadJudge(options.judgeDir ?? shippedJudgeDir(model.datasetId));
    try {
      ({ consistency, fid, ceiling } = await judgeMetrics(judge, model, sentences, options));
      judgeInfo = { datasetId: judge.meta.datasetId, contentHash: judge.meta.contentHash, testAccuracy: judge.meta.testAccuracy };
    } finally {
      judge.model.dispose();
    }
    options.onProgress?.('judging', 1, 1);
  }
  let bits: BitsResult | null = null;
  if (!model.scorer) notes.push('bits per image: the model offers no scorer');
  else if (!builtin) notes.push('bits per image: test sentences are read only for the built-in datasets');
  else if ((options.bitsImages ?? 500) < 1) notes.push('bits per image: not measured (0 test images asked for)');
  else {
    bits = await bitsMetric(model, options);
    if (bits.skipped > 0) notes.push(`bits per image: ${bits.skipped} test sentences longer than the model context (${model.scorer.maxLength}) left out`);
    if (bits.images === 0) bits = null;
  }
  return {
    schemaVersion: EVAL_REPORT_SCHEMA_VERSION,
    kind: EVAL_REPORT_KIND,
    createdAt: new Date().toISOString(),
    model: { path: model.path, datasetId: model.datasetId, step: model.step, params: model.params },
    judge: judgeInfo,
    samples: { count: sentences.length, seed: options.seed, sampling: model.sampling, meanTokens: tokenCount / Math.max(1, sentences.length) },
    consistency,
    fid,
    ceiling,
    bits,
    timing: { backend: model.backend || tf.getBackend(), totalSec: seconds, secPerImage: seconds / Math.max(1, sentences.length), tokensPerSec: tokenCount / Math.max(1e-9, seconds) },
    notes,
  };
}
