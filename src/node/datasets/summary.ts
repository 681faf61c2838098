/**
 * DTO views of datasets and token caches: what the API and the CLI show.
 * Used by: node/service/datasets.ts, worker/jobs/import.ts, worker/jobs/tokenize.ts, cli.
 */
import type { DatasetManifest } from '../../core/data/dataset';
import type { TokenCacheManifest } from '../../core/data/token-cache-format';
import type { DatasetSummary } from '../../shared/dto';

export function toSummary(m: DatasetManifest): DatasetSummary {
  return {
    id: m.id,
    name: m.name,
    builtin: m.builtin,
    classes: [...m.classes],
    width: m.width,
    height: m.height,
    counts: { ...m.counts },
    source: m.source,
    contentHash: m.contentHash,
    defaultTokenizer: { ...m.defaultTokenizer },
    notes: [...m.notes],
  };
}

/** The result of a tokenize job / buildTokens call: the cache's key figures. */
export interface TokenCacheSummary {
  datasetId: string;
  key: string;
  hit: boolean;
  tokenizer: TokenCacheManifest['tokenizer'];
  counts: TokenCacheManifest['counts'];
  totalTokens: number;
  length: { mean: number; min: number; max: number };
  psnrMean: number;
  buildSeconds: number;
  bytes: number;
}

export function toCacheSummary(m: TokenCacheManifest, hit: boolean): TokenCacheSummary {
  const { mean, min, max } = m.all.lengths;
  return {
    datasetId: m.datasetId,
    key: m.key,
    hit,
    tokenizer: { ...m.tokenizer },
    counts: { ...m.counts },
    totalTokens: m.totalTokens,
    length: { mean, min, max },
    psnrMean: m.all.psnrMean,
    buildSeconds: m.buildSeconds,
    bytes: Object.values(m.bytes).reduce((a, b) => a + b, 0),
  };
}
