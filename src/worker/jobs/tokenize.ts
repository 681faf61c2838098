/**
 * The 'tokenize' job: builds the token cache of a dataset under a tokenizer config (both
 * splits), with progress, or reuses it when present ("token cache hit").
 * Request: { datasetId, tokenizer } (shared/schemas tokenCacheSchema).
 * Used by: worker/jobs/index.ts (job host, CLI in-process), datasets.buildTokens.
 */
import { StudioError } from '../../shared/result';
import { tokenCacheSchema } from '../../shared/schemas';
import { throttledProgress } from '../../node/datasets/progress';
import { toCacheSummary, type TokenCacheSummary } from '../../node/datasets/summary';
import { ensureTokenCache } from '../../node/datasets/token-cache';
import type { JobHandler } from '../job-types';

export const handler: JobHandler<unknown, TokenCacheSummary> = async (request, ctx) => {
  const parsed = tokenCacheSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('BAD_REQUEST', `tokenize request: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { datasetId, tokenizer } = parsed.data;
  ctx.emit({ type: 'started', detail: `tokenize ${datasetId}` });
  const { cache, hit } = await ensureTokenCache(ctx.workspace, datasetId, tokenizer, {
    onProgress: throttledProgress((event) => ctx.emit(event)),
    signal: ctx.signal,
    pauseGate: () => ctx.pauseGate(),
  });
  return toCacheSummary(cache.manifest, hit);
};
