/**
 * The train job through the real job host (a forked child running src/worker/host.ts):
 * with the tiny preset on a 16-image synthetic dataset it emits started (with its backend),
 * progress, metrics and done, and leaves a run folder with config.json, metrics.jsonl and
 * a loadable checkpoint at the last step.
 */
import { promises as fs } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkSpawn, createJobSupervisor } from '../../../src/node/jobs/index';
import type { JobSupervisor } from '../../../src/node/jobs/types';
import { loadCheckpoint } from '../../../src/node/runs/checkpoint';
import type { JobEvent } from '../../../src/shared/dto';
import { trainStartSchema } from '../../../src/shared/schemas';
import { TEST_TOKENIZER } from '../../core/model/synthetic';
import { writeBarsDataset } from './bars-dataset';

let workspace: string;
let supervisor: JobSupervisor | undefined;

beforeAll(async () => {
  workspace = await fs.mkdtemp(join(tmpdir(), 'ws-train-job-'));
  await writeBarsDataset(workspace, { seed: 5 });
});

afterAll(async () => {
  await supervisor?.shutdown();
  await fs.rm(workspace, { recursive: true, force: true });
});

describe('train job in the job host', () => {
  it('emits started(backend)/progress/metrics/done and writes a checkpoint', async () => {
    supervisor = createJobSupervisor({ workspace, spawn: createForkSpawn() });
    const events: JobEvent[] = [];
    supervisor.onEvent((e) => events.push(e));
    const request = trainStartSchema.parse({
      datasetId: 'bars', tokenizer: TEST_TOKENIZER, preset: 'tiny', backend: 'cpu',
      train: { steps: 4, checkpointEvery: 2, evalEvery: 2, galleryEvery: 0, valSentences: 4 },
    });
    const { jobId } = supervisor.start('train', request, { backend: 'cpu' });
    const until = Date.now() + 45_000;
    while (!['done', 'error', 'cancelled'].includes(supervisor.get(jobId).state)) {
      if (Date.now() > until) throw new Error('the train job did not finish in 45 s');
      await new Promise((done) => setTimeout(done, 50));
    }
    const mine = events.filter((e) => e.jobId === jobId);
    const error = mine.find((e) => e.type === 'error');
    expect(error, JSON.stringify(error)).toBeUndefined();
    const started = mine.find((e) => e.type === 'started');
    expect(started).toMatchObject({ backend: 'cpu' });
    expect(mine.some((e) => e.type === 'progress')).toBe(true);
    const metrics = mine.flatMap((e) => (e.type === 'metrics' ? [e.point] : []));
    expect(metrics.some((p) => p.valLoss !== undefined && Number.isFinite(p.valLoss))).toBe(true);
    const done = mine.find((e) => e.type === 'done');
    expect(done).toBeDefined();
    const result = (done as Extract<JobEvent, { type: 'done' }>).result as { runDir: string; step: number; reason: string };
    expect(result).toMatchObject({ step: 4, reason: 'completed' });
    const checkpoint = await loadCheckpoint(result.runDir);
    expect(checkpoint).toMatchObject({ hasOptimizer: true, state: { step: 4, datasetId: 'bars', classes: ['c0', 'c1', 'c2'] } });
    expect((await fs.readFile(join(result.runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(4);
    await expect(fs.access(join(result.runDir, 'train.lock'))).rejects.toThrow(); // released when the job ends

    // a run another live trainer holds (this test process stands in for it) is refused, untouched
    await fs.writeFile(join(result.runDir, 'train.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
    const resume = supervisor.start('train', { ...request, runId: basename(result.runDir), train: { steps: 6 } }, { backend: 'cpu' });
    while (!['done', 'error', 'cancelled'].includes(supervisor.get(resume.jobId).state)) await new Promise((done) => setTimeout(done, 50));
    expect(supervisor.get(resume.jobId).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`process ${process.pid}`) });
    expect((await loadCheckpoint(result.runDir))?.state.step).toBe(4);
    expect(await fs.readFile(join(result.runDir, 'train.lock'), 'utf8')).toContain(`"pid":${process.pid}`); // not the refused job's to remove
  });
});
