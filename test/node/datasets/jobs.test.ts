/**
 * The 'import' and 'tokenize' job handlers under a fake job context: they validate their
 * request, report progress events and return the dataset / token cache summary.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobContext, JobEventBody } from '../../../src/worker/job-types';
import { handler as importJob } from '../../../src/worker/jobs/import';
import { handler as tokenizeJob } from '../../../src/worker/jobs/tokenize';
import { GOOD, tempWorkspace } from './helpers';

function context(workspace: string): { ctx: JobContext; events: JobEventBody[] } {
  const events: JobEventBody[] = [];
  const ctx: JobContext = { workspace, emit: (e) => events.push(e), signal: new AbortController().signal, pauseGate: async () => undefined, backend: 'auto' };
  return { ctx, events };
}

describe('dataset jobs', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('import: progress events and the new dataset summary', async () => {
    const { ctx, events } = context(ws.root);
    const summary = await importJob({ name: 'Listed', source: { kind: 'csv', path: join(GOOD, 'csv', 'list.csv') } }, ctx);
    expect(summary).toMatchObject({ id: 'listed', builtin: false, counts: { train: 4, test: 2 } });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
  });

  it('import: a bad request is BAD_REQUEST', async () => {
    const { ctx } = context(ws.root);
    await expect(importJob({ name: 'x', source: { kind: 'tiff', path: 'x' } }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('tokenize: builds, then reports a cache hit', async () => {
    const request = { datasetId: 'listed', tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } };
    const first = context(ws.root);
    const built = await tokenizeJob(request, first.ctx);
    expect(built).toMatchObject({ hit: false, counts: { train: 4, test: 2 } });
    expect(built.length.mean).toBeGreaterThan(0);
    const second = context(ws.root);
    expect(await tokenizeJob(request, second.ctx)).toMatchObject({ hit: true, key: built.key });
    expect(second.events.some((e) => e.type === 'progress' && e.message === 'token cache hit')).toBe(true);
  });
});
