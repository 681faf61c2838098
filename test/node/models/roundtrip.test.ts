/**
 * Export / import round trip (the requirement): a tiny trained run exported to a
 * package file and imported into another workspace samples the very same sentence with
 * the same seed, through the CLI (export, import-model, sample) and through the
 * models.export / models.import handlers.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSentences } from '../../../src/core/sample/sampler';
import { loadModel } from '../../../src/node/runs/model-io';
import { createModelHandlers } from '../../../src/node/service/models';
import { makeTinyRun, serviceContext } from './tiny-run';

let root: string;
let workspace: string;
let runDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(join(tmpdir(), 'ws-roundtrip-'));
  workspace = join(root, 'ws-a');
  runDir = join(workspace, 'runs', 'tiny-run');
  await makeTinyRun(runDir);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function sampledTokens(out: string): Promise<number[][]> {
  return (JSON.parse(await fs.readFile(join(out, 'samples.json'), 'utf8')) as { samples: { tokens: number[] }[] }).samples.map((s) => s.tokens);
}

describe('model export + import', () => {
  it('CLI: export, import-model into another workspace, then sample gives the same sentence', async () => {
    const cli = async (name: string, argv: string[]): Promise<void> => (await import(`../../../src/cli/commands/${name}.ts`)).command.run(argv);
    const file = join(root, 'tiny.wsmodel');
    const other = join(root, 'ws-b');
    await cli('export', ['--model', runDir, '--out', file]);
    await cli('import-model', [file, '--workspace', other]);
    const sampleArgs = ['--class', '1', '--count', '2', '--seed', '7', '--backend', 'cpu'];
    await cli('sample', ['--model', runDir, '--out', join(root, 'before'), ...sampleArgs]);
    await cli('sample', ['--model', 'tiny-run', '--workspace', other, '--out', join(root, 'after'), ...sampleArgs]);
    const before = await sampledTokens(join(root, 'before'));
    expect(before).toHaveLength(2);
    expect(before[0].length).toBeGreaterThan(0);
    expect(await sampledTokens(join(root, 'after'))).toEqual(before);
  });

  it('handlers: models.export then models.import; the imported model samples identically and is listed', async () => {
    const file = join(root, 'handler.wsmodel');
    const exported = await createModelHandlers(serviceContext(workspace))['models.export']({ modelId: 'tiny-run', path: file });
    expect(exported.bytes).toBe((await fs.stat(file)).size);
    const target = createModelHandlers(serviceContext(join(root, 'ws-c')));
    const summary = await target['models.import']({ path: file });
    expect(summary).toMatchObject({ modelId: 'tiny-run', source: 'imported', step: 3, classes: ['c0', 'c1', 'c2'] });
    expect((await target['models.list']({})).filter((m) => m.source !== 'starter').map((m) => m.modelId)).toEqual(['tiny-run']);
    const original = await loadModel(runDir);
    const imported = await loadModel(join(root, 'ws-c', 'models', 'tiny-run'));
    const request = { classIndex: 0, count: 1, startExponent: null, sampling: { temperature: 1, topK: 0, topP: 1 }, seed: 11 };
    const [a] = await sampleSentences(original.model, original.meta, request);
    const [b] = await sampleSentences(imported.model, imported.meta, request);
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    original.model.dispose();
    imported.model.dispose();
  });
});
