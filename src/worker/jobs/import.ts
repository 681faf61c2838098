/**
 * The 'import' job: stores a dataset from IDX, image folder, NumPy or CSV files in the
 * workspace, with progress; the result is the new dataset's summary. Cancelling it (or a
 * bad file) leaves nothing behind. Used by: worker/jobs/index.ts (job host, CLI in-process).
 */
import type { DatasetSummary } from '../../shared/dto';
import { runImport } from '../../node/datasets/importers';
import { throttledProgress } from '../../node/datasets/progress';
import { toSummary } from '../../node/datasets/summary';
import type { JobHandler } from '../job-types';

export const handler: JobHandler<unknown, DatasetSummary> = async (request, ctx) => {
  ctx.emit({ type: 'started', detail: 'import' });
  const manifest = await runImport(ctx.workspace, request, {
    onProgress: throttledProgress((event) => ctx.emit(event)),
    signal: ctx.signal,
  });
  return toSummary(manifest);
};
