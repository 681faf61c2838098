/**
 * A job's snapshot follows its events: token chunks of sample/edit jobs add up to each
 * sample's sentence so far (so a reloaded page can show them), metrics accumulate.
 */
import { describe, expect, it } from 'vitest';
import { applyJobEvent, copySnapshot } from '../../../src/node/jobs/job-record';
import type { JobSnapshot } from '../../../src/shared/dto';

const base: JobSnapshot = { jobId: 'j', kind: 'sample', state: 'running', startedAt: 0, metrics: [], request: {} };
const tokens = (sample: number, chunk: number[], length: number) =>
  ({ jobId: 'j', kind: 'sample', type: 'tokens', sample, tokens: chunk, startExponent: 1, length, total: 10 }) as const;

describe('applyJobEvent', () => {
  it('joins token chunks per sample; a chunk after a gap is not guessed at', () => {
    let s = applyJobEvent(base, tokens(0, [2, 3], 2));
    s = applyJobEvent(s, tokens(1, [4], 1));
    s = applyJobEvent(s, tokens(0, [5, 6, 2], 5));
    expect(s.partial).toEqual([{ sample: 0, tokens: [2, 3, 5, 6, 2], startExponent: 1 }, { sample: 1, tokens: [4], startExponent: 1 }]);
    const gap = applyJobEvent(s, tokens(1, [2], 9));
    expect(gap.partial?.find((p) => p.sample === 1)?.tokens).toEqual([4]);
    // a full prefix replaces what was there
    expect(applyJobEvent(s, tokens(0, [2, 3, 5], 3)).partial?.[0].tokens).toEqual([2, 3, 5]);
  });

  it('hands out copies that do not alias the stored snapshot', () => {
    const s = applyJobEvent(base, tokens(0, [2, 3], 2));
    const copy = copySnapshot(s);
    copy.partial![0].tokens.push(9);
    expect(s.partial![0].tokens).toEqual([2, 3]);
  });
});
