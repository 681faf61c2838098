/**
 * Walks the bad-input corpus (test/fixtures/bad/cases.json, made by
 * scripts/make-import-fixtures.ts): every broken file must be refused with the expected
 * error code, a message naming the file and the place of the defect, and nothing left in
 * the workspace. Also: an import cancelled half-way leaves nothing behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/node/datasets/importers';
import { StudioError } from '../../../src/shared/result';
import { BAD, GOOD, datasetEntries, tempWorkspace } from './helpers';

interface BadCase {
  name: string;
  request: Record<string, unknown>;
  code: string;
  includes: string[];
}

const cases = JSON.parse(readFileSync(join(BAD, 'cases.json'), 'utf8')) as BadCase[];
const pathKeys = ['images', 'labels', 'testImages', 'testLabels', 'path'];

function absolute(request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...request };
  for (const key of pathKeys) if (typeof out[key] === 'string') out[key] = join(BAD, out[key] as string);
  return out;
}

describe('bad input corpus', () => {
  let ws = tempWorkspace();
  afterEach(() => {
    ws.cleanup();
    ws = tempWorkspace();
  });

  it('has a case for every defect class the importers promise to catch', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s is refused clearly', async (_name, c) => {
    const error = await runImport(ws.root, { name: 'bad', source: absolute(c.request) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the import must fail').toBeInstanceOf(StudioError);
    const { code, message } = error as StudioError;
    expect(code).toBe(c.code);
    for (const part of c.includes) expect(message).toContain(part);
    expect(datasetEntries(ws.root), 'a failed import leaves nothing').toEqual([]);
  });

  it('an import cancelled half-way leaves nothing in datasets/', async () => {
    const controller = new AbortController();
    let maxDone = 0;
    const run = runImport(ws.root, { name: 'cut', source: { kind: 'csv', path: join(GOOD, 'csv', 'list.csv') } }, {
      signal: controller.signal,
      onProgress: (done, total) => {
        maxDone = Math.max(maxDone, done);
        if (done >= 1 && done < total) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(maxDone).toBeGreaterThan(0);
    expect(datasetEntries(ws.root)).toEqual([]);
  });

  it('a cancel that lands just before the final rename still leaves nothing', async () => {
    const controller = new AbortController();
    const run = runImport(ws.root, { name: 'late', source: { kind: 'npy', images: join(GOOD, 'npy', 'images.npy'), labels: join(GOOD, 'npy', 'labels.npy') } }, {
      signal: controller.signal,
      onProgress: (_done, _total, message) => {
        if (message === 'writing') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(datasetEntries(ws.root)).toEqual([]);
  });
});
