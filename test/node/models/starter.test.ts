/**
 * Starter models: package-starter turns a tiny trained run into a model folder without
 * optimizer state (weights, configs, classes, histograms, curve, eval report, sample grid,
 * README); the folder loads, samples exactly like its run, is listed by models.list as a
 * 'starter' (with its eval report), and the CLI takes it by path or id. Resuming a run
 * still requires its optimizer files. A run that keeps a moving average is packaged with it. Everything is written to temp folders.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVariables } from '../../../src/core/model/weights';
import { sampleSentences } from '../../../src/core/sample/sampler';
import { classSeed, packageStarter, STARTER_SAMPLING } from '../../../src/node/models/starter';
import { loadCheckpoint } from '../../../src/node/runs/checkpoint';
import { loadModel } from '../../../src/node/runs/model-io';
import { RESOURCES_ENV } from '../../../src/node/runs/presets';
import { createModelHandlers } from '../../../src/node/service/models';
import { StudioError } from '../../../src/shared/result';
import { makeTinyRun, serviceContext } from './tiny-run';

let root: string;
let runDir: string;
let resources: string;
let starterDir: string;
const savedEnv = process.env[RESOURCES_ENV];

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(join(tmpdir(), 'ws-starter-'));
  runDir = join(root, 'run');
  resources = join(root, 'resources');
  await makeTinyRun(runDir);
  await fs.writeFile(join(runDir, 'eval-report.json'), JSON.stringify({ kind: 'wavelet-studio-eval', classConsistency: 0.5, model: { path: runDir, step: 3 } }));
  starterDir = (await packageStarter({ runDir, id: 'bars-tiny', outRoot: join(resources, 'models'), perClass: 2, seed: 0 })).dir;
});

afterAll(async () => {
  if (savedEnv === undefined) delete process.env[RESOURCES_ENV];
  else process.env[RESOURCES_ENV] = savedEnv;
  await fs.rm(root, { recursive: true, force: true });
});

describe('package-starter', () => {
  it('writes weights, configs, curve, eval report, grid and README but no optimizer state', async () => {
    const files = (await fs.readdir(starterDir, { recursive: true })).map(String).sort();
    expect(files).toEqual(['README.md', 'checkpoint', 'checkpoint/state.json', 'checkpoint/weights.bin', 'checkpoint/weights.json',
      'config.json', 'eval-report.json', 'metrics.jsonl', 'samples.json', 'samples.png']);
    expect(await fs.readFile(join(starterDir, 'metrics.jsonl'), 'utf8')).toBe(await fs.readFile(join(runDir, 'metrics.jsonl'), 'utf8'));
    const state = JSON.parse(await fs.readFile(join(starterDir, 'checkpoint', 'state.json'), 'utf8')) as { classes: string[]; stats: unknown[]; checksums: Record<string, string> };
    expect(state.classes).toEqual(['c0', 'c1', 'c2']);
    expect(state.stats).toHaveLength(3);
    expect(Object.keys(state.checksums)).toEqual(['weights']);
    // 3 classes x 2 samples of 12 x 12 with a 2-pixel gutter, upscaled twice
    const png = await sharp(join(starterDir, 'samples.png')).metadata();
    expect([png.width, png.height]).toEqual([2 * (2 * 12 + 3 * 2), 2 * (3 * 12 + 4 * 2)]);
    // the report names the packaged folder, not the run on the machine that built it
    expect(JSON.parse(await fs.readFile(join(starterDir, 'eval-report.json'), 'utf8'))).toEqual({ kind: 'wavelet-studio-eval', classConsistency: 0.5, model: { path: 'resources/models/bars-tiny', step: 3 } });
    const readme = await fs.readFile(join(starterDir, 'README.md'), 'utf8');
    expect(readme).toContain('train --dataset bars --preset tiny');
    expect(readme).toContain('--set model.context=512');
    expect(readme).toContain('package-starter --run-dir');
    expect(readme).toContain('sample --model resources/models/bars-tiny'); // where starters ship, by default
    expect(readme).toContain('eval --model resources/models/bars-tiny\n'); // the report names no counts to repeat
  });

  it('packages the moving average of a run that keeps one, as plain weights', async () => {
    const averagedRun = join(root, 'averaged-run');
    await makeTinyRun(averagedRun, 3, { emaDecay: 0.5 });
    const run = await loadCheckpoint(averagedRun, { optimizer: false });
    expect(run!.ema.length).toBeGreaterThan(0);
    const dir = (await packageStarter({ runDir: averagedRun, id: 'bars-averaged', outRoot: join(root, 'averaged-models'), perClass: 1, seed: 0 })).dir;
    const packaged = await loadCheckpoint(dir);
    expect(packaged!.ema).toEqual([]);
    expect(packaged!.state.emaUpdates).toBeUndefined();
    expect(Object.keys(packaged!.state.checksums)).toEqual(['weights']);
    expect(packaged!.weights.map((w) => Array.from(w.data))).toEqual(run!.ema.map((w) => Array.from(w.data)));
    expect(packaged!.weights[0].data).not.toEqual(run!.weights[0].data);
    expect(await fs.readFile(join(dir, 'README.md'), 'utf8')).toContain('moving average of the trained weights (train.emaDecay 0.5)');
  });

  it('loads without optimizer files and samples exactly like its run (the grid is reproducible)', async () => {
    expect((await loadCheckpoint(starterDir))!.hasOptimizer).toBe(false);
    const fromRun = await loadModel(runDir);
    const fromStarter = await loadModel(starterDir);
    expect(readVariables(fromStarter.model).map((v) => Array.from(v.data))).toEqual(readVariables(fromRun.model).map((v) => Array.from(v.data)));
    const request = { classIndex: 1, count: 2, startExponent: null, sampling: STARTER_SAMPLING, seed: classSeed(0, 1), batchSize: 16 };
    const a = await sampleSentences(fromRun.model, fromRun.meta, request);
    const b = await sampleSentences(fromStarter.model, fromStarter.meta, request);
    expect(b.map((s) => Array.from(s.tokens))).toEqual(a.map((s) => Array.from(s.tokens)));
    const grid = JSON.parse(await fs.readFile(join(starterDir, 'samples.json'), 'utf8')) as { samples: { classIndex: number; tokens: string }[] };
    expect(grid.samples.filter((s) => s.classIndex === 1).slice(0, 2).map((s) => s.tokens)).toEqual(a.map((s) => Array.from(s.tokens).join('')));
    fromRun.model.dispose();
    fromStarter.model.dispose();
  });

  it('still requires the optimizer files to resume a run', async () => {
    const copy = join(root, 'run-copy');
    await fs.cp(runDir, copy, { recursive: true });
    await fs.rm(join(copy, 'checkpoint', 'optimizer.bin'));
    const error = await loadCheckpoint(copy).then(() => null, (e: unknown) => e);
    expect((error as StudioError).code).toBe('BAD_FILE');
    expect((error as Error).message).toMatch(/optimizer\.bin/);
    expect((await loadCheckpoint(copy, { optimizer: false }))!.state.step).toBe(3);
  });

  it('refuses to resume training in a packaged folder (no optimizer state), with a clear error', async () => {
    const { runTraining } = await import('../../../src/worker/jobs/train');
    const attempt = runTraining({
      workspace: root, runDir: starterDir, datasetId: 'bars', tokenizer: { wavelet: 'haar', finalExponent: -1, variant: 'blocks' }, preset: 'tiny',
      model: {}, train: {}, seed: 0, backend: 'cpu', emit: () => undefined, signal: new AbortController().signal, pauseGate: async () => undefined,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/without optimizer state/) });
  });

  it('is listed by models.list as a starter with its eval report; folders without a readable checkpoint are skipped', async () => {
    await fs.mkdir(join(resources, 'models', 'empty-folder'), { recursive: true });
    // a damaged folder (state.json of the right schema but missing everything else) is skipped, not fatal
    await fs.mkdir(join(resources, 'models', 'damaged', 'checkpoint'), { recursive: true });
    await fs.writeFile(join(resources, 'models', 'damaged', 'checkpoint', 'state.json'), '{"schemaVersion":1,"step":1}');
    await expect(loadCheckpoint(join(resources, 'models', 'damaged'), { optimizer: false })).rejects.toMatchObject({ code: 'BAD_FILE' });
    process.env[RESOURCES_ENV] = resources;
    const handlers = createModelHandlers(serviceContext(join(root, 'ws')));
    const models = await handlers['models.list']({});
    expect(models.map((m) => [m.modelId, m.source])).toEqual([['bars-tiny', 'starter']]);
    expect(models[0]).toMatchObject({ classes: ['c0', 'c1', 'c2'], step: 3, width: 12, evalReport: { classConsistency: 0.5 } });
    expect((await handlers['models.get']({ modelId: 'bars-tiny' })).source).toBe('starter');
  });

  it('is taken by the sample CLI as a path and as a model id', async () => {
    process.env[RESOURCES_ENV] = resources;
    const { command } = await import('../../../src/cli/commands/sample');
    for (const [model, out] of [[starterDir, join(root, 'out-path')], ['bars-tiny', join(root, 'out-id')]]) {
      await command.run(['--model', model, '--class', '2', '--count', '1', '--seed', '4', '--out', out, '--backend', 'cpu', '--workspace', join(root, 'ws')]);
    }
    const tokens = async (out: string): Promise<number[]> => (JSON.parse(await fs.readFile(join(out, 'samples.json'), 'utf8')) as { samples: { tokens: number[] }[] }).samples[0].tokens;
    expect(await tokens(join(root, 'out-id'))).toEqual(await tokens(join(root, 'out-path')));
    expect((await fs.stat(join(root, 'out-id', 'c2', '0.png'))).size).toBeGreaterThan(0);
  });

  it('records recommended sampling: the grid, config.json, README and models.list carry it, the CLI samples with it unless told otherwise', async () => {
    const outRoot = join(root, 'recommended');
    const dir = (await packageStarter({ runDir, id: 'bars-p', outRoot, perClass: 2, seed: 0, sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 1.5, guidancePlanes: 2 } })).dir;
    const config = JSON.parse(await fs.readFile(join(dir, 'config.json'), 'utf8')) as { sampling: unknown; preset: string };
    expect(config).toMatchObject({ preset: 'tiny', sampling: { temperature: 1, topK: 0, topP: 0.6, guidance: 1.5, guidancePlanes: 2 } });
    const grid = JSON.parse(await fs.readFile(join(dir, 'samples.json'), 'utf8')) as { sampling: unknown };
    expect(grid.sampling).toEqual({ temperature: 1, topK: 0, topP: 0.6, guidance: 1.5, guidancePlanes: 2 });
    expect(await fs.readFile(join(dir, 'README.md'), 'utf8')).toContain('- recommended sampling: temperature 1, top-k off, top-p 0.6, guidance 1.5 on bit-planes 1-2 (');
    // an interval without guidance is refused before anything is written
    const { command: packageCommand } = await import('../../../src/cli/commands/package-starter');
    await expect(packageCommand.run(['--run-dir', runDir, '--id', 'bars-bad', '--out', outRoot, '--backend', 'cpu', '--guidance-planes', '3'])).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('--guidance-planes needs --guidance') });
    await expect(fs.access(join(outRoot, 'bars-bad'))).rejects.toThrow();
    // without it nothing is recorded
    expect(JSON.parse(await fs.readFile(join(starterDir, 'config.json'), 'utf8'))).not.toHaveProperty('sampling');

    process.env[RESOURCES_ENV] = join(root, 'recommended-resources');
    await fs.mkdir(join(root, 'recommended-resources', 'models'), { recursive: true });
    await fs.cp(dir, join(root, 'recommended-resources', 'models', 'bars-p'), { recursive: true });
    const handlers = createModelHandlers(serviceContext(join(root, 'ws')));
    const listed = await handlers['models.get']({ modelId: 'bars-p' });
    expect(listed.sampling).toEqual({ temperature: 1, topK: 0, topP: 0.6, guidance: 1.5, guidancePlanes: 2 });
    expect(listed.classDropout).toBe(0); // trained without it: the Sampler warns about the guidance

    const { command } = await import('../../../src/cli/commands/sample');
    const used = async (out: string, extra: string[]): Promise<unknown> => {
      await command.run(['--model', dir, '--class', '1', '--count', '1', '--out', out, '--backend', 'cpu', '--workspace', join(root, 'ws'), ...extra]);
      return (JSON.parse(await fs.readFile(join(out, 'samples.json'), 'utf8')) as { sampling: unknown }).sampling;
    };
    expect(await used(join(root, 'rec-default'), [])).toEqual({ temperature: 1, topK: 0, topP: 0.6, guidance: 1.5, guidancePlanes: 2 });
    expect(await used(join(root, 'rec-flag'), ['--top-p', '0.9', '--temperature', '0.5', '--guidance', '1'])).toEqual({ temperature: 0.5, topK: 0, topP: 0.9, guidance: 1 }); // no interval without guidance

    // a malformed recommendation is named by the CLI and left out of the listing
    await fs.writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, sampling: { temperature: -1, topK: 0, topP: 2 } }));
    await expect(used(join(root, 'rec-bad'), [])).rejects.toMatchObject({ code: 'BAD_FILE', message: expect.stringContaining('config.json') });
    await fs.writeFile(join(root, 'recommended-resources', 'models', 'bars-p', 'config.json'), JSON.stringify({ ...config, sampling: 'hot' }));
    expect(await handlers['models.get']({ modelId: 'bars-p' })).not.toHaveProperty('sampling');
  });

  it('lists every training command of a run started from another model, in order', async () => {
    if (savedEnv === undefined) delete process.env[RESOURCES_ENV]; // the app's presets, to rebuild the commands
    else process.env[RESOURCES_ENV] = savedEnv;
    const second = join(root, 'finer');
    await fs.cp(runDir, second, { recursive: true });
    const config = JSON.parse(await fs.readFile(join(runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await fs.writeFile(join(second, 'config.json'), JSON.stringify({ ...config, runId: 'finer', initFrom: { path: runDir, step: 3, tokenizer: { wavelet: 'haar', finalExponent: -1, variant: 'blocks' } } }));
    const dir = (await packageStarter({ runDir: second, id: 'bars-finer', outRoot: join(root, 'chain'), perClass: 1 })).dir;
    const readme = await fs.readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('- started from: the weights of run (step 3, haar Tf 2^-2)');
    const first = readme.indexOf('# 1a. the run it starts from (haar Tf 2^-2, its weights at step 3)');
    const then = readme.indexOf('# 1b. train');
    expect(first).toBeGreaterThan(0);
    expect(then).toBeGreaterThan(first);
    expect(readme.slice(first, then)).toMatch(/train --dataset bars .* --run-dir runs\/run\n/);
    expect(readme.slice(then)).toMatch(/train --dataset bars .* --init-from runs\/run --run-dir runs\/<run>\n/);
    const packaged = JSON.parse(await fs.readFile(join(dir, 'config.json'), 'utf8')) as { initFrom: unknown };
    expect(packaged.initFrom).toEqual({ path: 'runs/run', step: 3, tokenizer: { wavelet: 'haar', finalExponent: -1, variant: 'blocks' } });
  });

  it('says when a run started from the weight average of the run before it; its eval command repeats the report\'s counts', async () => {
    if (savedEnv === undefined) delete process.env[RESOURCES_ENV];
    else process.env[RESOURCES_ENV] = savedEnv;
    const source = join(root, 'averaged-source');
    await makeTinyRun(source, 2, { emaDecay: 0.5 });
    const next = join(root, 'after-average');
    await fs.cp(runDir, next, { recursive: true });
    const config = JSON.parse(await fs.readFile(join(runDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await fs.writeFile(join(next, 'config.json'), JSON.stringify({ ...config, runId: 'after-average', initFrom: { path: source, step: 2, tokenizer: { wavelet: 'haar', finalExponent: -2, variant: 'blocks' } } }));
    await fs.writeFile(join(next, 'eval-report.json'), JSON.stringify({ kind: 'wavelet-studio-eval', samples: { count: 20 }, bits: { images: 9, skipped: 1 } }));
    const readme = await fs.readFile(join((await packageStarter({ runDir: next, id: 'bars-after', outRoot: join(root, 'after'), perClass: 1 })).dir, 'README.md'), 'utf8');
    expect(readme).toContain('- started from: the weight average of averaged-source (step 2, haar Tf 2^-2)');
    expect(readme).toContain('# 1a. the run it starts from (haar Tf 2^-2, its weight average at step 2)');
    expect(readme).toContain('eval --model resources/models/bars-after --samples 20 --bits-images 10\n'); // repeats the shipped report
  });

  it('refuses an oversized folder or a bad id and leaves nothing behind; a repackage replaces the folder', async () => {
    const outRoot = join(root, 'limits');
    await expect(packageStarter({ runDir, id: 'big', outRoot, perClass: 1, maxBytes: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /over the/ });
    await expect(packageStarter({ runDir, id: '../evil', outRoot, perClass: 1 })).rejects.toBeInstanceOf(StudioError);
    expect(await fs.readdir(outRoot).catch(() => [])).toEqual([]);
    await packageStarter({ runDir, id: 'again', outRoot, perClass: 1 });
    await fs.writeFile(join(outRoot, 'again', 'stale.txt'), 'old');
    const second = await packageStarter({ runDir, id: 'again', outRoot, perClass: 1 });
    expect(second.files.map((f) => f.path)).not.toContain('stale.txt');
    expect(await fs.readdir(outRoot)).toEqual(['again']);
  });
});
