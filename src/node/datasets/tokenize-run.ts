/**
 * Encodes a range of a dataset's images into sentences, cooperatively: batches of images,
 * a yield to the event loop between batches, cancel (signal) and pause (gate) honoured,
 * progress reported. Optionally decodes every sentence again to measure its PSNR.
 * Used by: node/datasets/token-cache.ts (cache builds), cli/commands/tokenize.ts.
 */
import { type DatasetArrays, type IndexRange, imageAt } from '../../core/data/dataset';
import { PSNR_CAP_DB } from '../../core/data/token-cache-format';
import { decodeSentence, encodeImage, geometryFor, psnr } from '../../core/language/index';
import type { TokenizerConfig } from '../../core/language/types';
import { throwIfAborted } from './errors';

export interface TokenizeOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  pauseGate?: () => Promise<void>;
  /** Decode every sentence and compare with its image (roughly doubles the time). */
  measurePsnr?: boolean;
  /** Receives every sentence, in order (i counts from 0 within the range). */
  onSentence?: (i: number, tokens: Uint8Array, startExponent: number) => void;
  /** Awaited after every batch (e.g. to write the batch's sentences). */
  flush?: () => Promise<void>;
  batchSize?: number;
}

export interface TokenizeResult {
  /** [count + 1] sentence boundaries (relative to the range's first sentence). */
  offsets: Uint32Array;
  startExponents: Int8Array;
  /** [count] PSNR per image in dB (capped); empty unless measurePsnr. */
  psnr: Float64Array;
  encodeSeconds: number;
  decodeSeconds: number;
}

const yieldToLoop = (): Promise<void> => new Promise((done) => setImmediate(done));

/** Encodes images [range.start, range.start + range.count) of `data`. */
export async function tokenizeRange(
  data: DatasetArrays,
  range: IndexRange,
  tokenizer: TokenizerConfig,
  options: TokenizeOptions = {},
): Promise<TokenizeResult> {
  const { width, height } = data.manifest;
  const geometry = geometryFor(width, height);
  const offsets = new Uint32Array(range.count + 1);
  const startExponents = new Int8Array(range.count);
  const quality = new Float64Array(options.measurePsnr ? range.count : 0);
  const batch = options.batchSize ?? 500;
  let encodeMs = 0;
  let decodeMs = 0;
  let total = 0;
  for (let from = 0; from < range.count; from += batch) {
    throwIfAborted(options.signal, 'tokenizing');
    await options.pauseGate?.();
    const to = Math.min(range.count, from + batch);
    for (let i = from; i < to; i++) {
      const pixels = imageAt(data, range.start + i);
      const t0 = performance.now();
      const encoded = encodeImage(pixels, width, height, tokenizer);
      const t1 = performance.now();
      encodeMs += t1 - t0;
      total += encoded.tokens.length;
      if (total > 0xffffffff) throw new RangeError('more than 2^32 tokens: the corpus is too large for one cache');
      offsets[i + 1] = total;
      startExponents[i] = encoded.startExponent;
      options.onSentence?.(i, encoded.tokens, encoded.startExponent);
      if (options.measurePsnr) {
        const decoded = decodeSentence(encoded.tokens, encoded.startExponent, geometry, tokenizer);
        quality[i] = Math.min(PSNR_CAP_DB, psnr(decoded.pixels, pixels));
        decodeMs += performance.now() - t1;
      }
    }
    await options.flush?.();
    options.onProgress?.(to, range.count);
    await yieldToLoop();
  }
  return { offsets, startExponents, psnr: quality, encodeSeconds: encodeMs / 1000, decodeSeconds: decodeMs / 1000 };
}

/** Mean and minimum of per-image PSNR values (0 and 0 for none). */
export function psnrSummary(values: Float64Array): { mean: number; min: number } {
  if (values.length === 0) return { mean: 0, min: 0 };
  let sum = 0;
  let min = Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
  }
  return { mean: sum / values.length, min };
}
