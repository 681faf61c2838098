/**
 * Evaluating a folder: the report lands in D/eval-report.json and parses back; model ids
 * resolve to workspace/models then workspace/runs; the eval job refuses bad requests and
 * unknown models with their error codes.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvalReport } from '../../../src/core/eval/report';
import { geometryFor } from '../../../src/core/language/geometry';
import { encodeImage } from '../../../src/core/language';
import { evaluateModelDir } from '../../../src/node/eval/evaluate-dir';
import type { EvalModel } from '../../../src/node/eval/run-eval';
import { handler } from '../../../src/worker/jobs/eval';
import type { JobContext } from '../../../src/worker/job-types';

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'ws-evaldir-'));
  await fs.mkdir(join(root, 'runs', 'r1'), { recursive: true });
  await fs.mkdir(join(root, 'models', 'm1'), { recursive: true });
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const tokenizer = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;

/** A stand-in that draws a filled square (class = its side) for every request. */
const squares: EvalModel = {
  path: 'squares', datasetId: 'squares', classes: ['a', 'b'], tokenizer, geometry: geometryFor(28, 28),
  step: 5, params: 0, backend: 'test', sampling: { temperature: 1, topK: 0, topP: 1 }, scorer: null,
  async generate(classIndex, count) {
    const pixels = new Uint8Array(784).map((_, p) => (Math.floor(p / 28) < 10 + classIndex * 5 && p % 28 < 10 ? 255 : 0));
    const e = encodeImage(pixels, 28, 28, tokenizer);
    return Array.from({ length: count }, () => ({ classIndex, tokens: e.tokens, startExponent: e.startExponent }));
  },
};

function context(events: unknown[]): JobContext {
  return { workspace: root, emit: (e) => events.push(e), signal: new AbortController().signal, pauseGate: async () => undefined, backend: 'auto' };
}

describe('evaluateModelDir', () => {
  it('writes eval-report.json that parses back', async () => {
    const dir = join(root, 'models', 'm1');
    let disposed = false;
    const report = await evaluateModelDir(dir, { samples: 12, seed: 3 }, async () => ({ model: squares, dispose: () => { disposed = true; } }));
    const saved = parseEvalReport(JSON.parse(await fs.readFile(join(dir, 'eval-report.json'), 'utf8')));
    expect(saved.samples.count).toBe(12);
    expect(saved.samples.seed).toBe(3);
    expect(saved.model.step).toBe(5);
    expect(report.notes.length).toBeGreaterThan(0);
    expect(disposed).toBe(true);
  });

  it('opens the model with the sampling settings it was asked for', async () => {
    const dir = join(root, 'models', 'm1');
    const seen: unknown[] = [];
    await evaluateModelDir(dir, { samples: 10, seed: 1, sampling: { temperature: 0.7, topK: 0, topP: 0.6 } }, async (_d, _s, sampling) => {
      seen.push(sampling);
      return { model: squares, dispose: () => undefined };
    });
    expect(seen).toEqual([{ temperature: 0.7, topK: 0, topP: 0.6 }]);
  });
});

describe('eval job', () => {
  it('refuses a bad request and an unknown model', async () => {
    await expect(handler({ modelId: 'm1', samples: 1 }, context([]))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/samples/) });
    await expect(handler({ modelId: 'nope' }, context([]))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
