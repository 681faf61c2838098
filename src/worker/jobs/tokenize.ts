/**
 * The 'tokenize' job: builds the token cache of a dataset under a tokenizer config (both
 * splits), with progress, or reuses it when present ("token cache hit").
 * Request: { datasetId, tokenizer } (shared/schemas tokenCacheSchema).
 * Used by: worker/jobs/index.ts (job host, CLI in-process), datasets.buildTokens.
 */
import { tokenCacheSchema } from '../../shared/schemas';
import { throttledProgress } from '../../node/datasets/progress';
import { toCacheSummary, type TokenCacheSummary } from '../../node/datasets/summary';
import { ensureTokenCache } from '../../node/datasets/token-cache';
import { parseJobRequest } from '../parse-request';
import type { JobHandler } from '../job-types';

export const handler: JobHandler<unknown, TokenCacheSummary> = async (request, ctx) => {
  const { datasetId, tokenizer } = parseJobRequest(tokenCacheSchema, request, 'tokenize');
  ctx.emit({ type: 'started', detail: `tokenize ${datasetId}` });
  const { cache, hit } = await ensureTokenCache(ctx.workspace, datasetId, tokenizer, {
    onProgress: throttledProgress((event) => ctx.emit(event)),
    signal: ctx.signal,
    pauseGate: () => ctx.pauseGate(),
  });
  return toCacheSummary(cache.manifest, hit);
};
