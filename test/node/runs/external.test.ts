/**
 * Runs trained outside the studio's trainer (scripts/torch-train.py): the import builds a
 * run folder whose checkpoint holds the external weights and their average (the average is
 * what samples), whose config records the recipe, the source run and the commands, and
 * whose metrics are the log's curve; a starter packaged from it names those commands.
 * Damaged or incomplete outputs are refused and leave no folder. Temp folders, cpu backend.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageStarter } from '../../../src/node/models/starter';
import { loadCheckpoint, modelWeights } from '../../../src/node/runs/checkpoint';
import { importExternalRun, logMetrics, parseTrainLog } from '../../../src/node/runs/external';
import { readMetrics, readRunConfig } from '../../../src/node/runs/store';
import { makeTinyRun } from '../models/tiny-run';

let root: string;
let source: string;
let sourceAverage: Float32Array[];

const START = { event: 'start', tokenizer: { wavelet: 'haar', finalExponent: -2, variant: 'blocks' }, batch: 8, lr: 0.001, warmup: 5, class_dropout: 0.1, ema: 0.99, min_lr_ratio: 0.2, weight_decay: 0.02, seed: 3, gpu: 'Test GPU', torch: '9.9' };
const LOG = [
  START,
  { event: 'val', step: 0, val_loss: 0.9, ema_val_loss: 0.9 },
  { event: 'step', step: 50, loss: 0.8, lr: 0.001, tokens_per_s: 1000, wall_s: 5 },
  { event: 'step', step: 100, loss: 0.7, lr: 0.0002, tokens_per_s: 1100, wall_s: 10 },
  { event: 'val', step: 100, val_loss: 0.75, ema_val_loss: 0.74 },
  { event: 'final', step: 100, val_loss: 0.76, ema_val_loss: 0.75 },
  { event: 'done', steps: 100, train_s: 12.5 },
];

/** The source's average plus `shift`, as torch-train.py writes weights: float32 back to back. */
function shifted(shift: number): Uint8Array {
  const total = sourceAverage.reduce((n, a) => n + a.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const a of sourceAverage) {
    out.set(a.map((v) => v + shift), at);
    at += a.length;
  }
  return new Uint8Array(out.buffer);
}

async function writeOutputs(dir: string, o: { log?: string; weights?: Uint8Array; ema?: Uint8Array } = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, 'm-log.jsonl'), o.log ?? LOG.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await fs.writeFile(join(dir, 'm-weights.bin'), o.weights ?? shifted(0.5));
  await fs.writeFile(join(dir, 'm-ema.bin'), o.ema ?? shifted(0.25));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(join(tmpdir(), 'ws-external-'));
  source = join(root, 'source');
  await makeTinyRun(source, 2, { emaDecay: 0.5 });
  sourceAverage = (await loadCheckpoint(source, { optimizer: false }))!.ema.map((a) => a.data);
}, 60_000);

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('importExternalRun', () => {
  it('builds a run folder: weights, average, recipe, source, commands and the curve', async () => {
    const files = join(root, 'out');
    await writeOutputs(files);
    const runDir = join(root, 'runs', 'gpu1');
    await fs.mkdir(join(root, 'runs'));
    const result = await importExternalRun({ sourceDir: source, filesDir: files, name: 'm', runDir, commands: ['python3 scripts/torch-train.py --steps 100', 'npx tsx scripts/import-torch-run.ts'] });
    expect(result).toEqual({ runDir, step: 100, points: 2 });
    const checkpoint = (await loadCheckpoint(runDir))!; // no optimizer files are looked for: none are claimed
    expect(checkpoint.hasOptimizer).toBe(false);
    expect(checkpoint.state.step).toBe(100);
    expect(checkpoint.state.emaUpdates).toBe(100);
    expect(checkpoint.state.wallSec).toBe(12.5);
    checkpoint.weights.forEach((w, i) => expect(w.data[0]).toBeCloseTo(sourceAverage[i][0] + 0.5, 5));
    modelWeights(checkpoint).forEach((w, i) => expect(w.data[0]).toBeCloseTo(sourceAverage[i][0] + 0.25, 5)); // the average samples
    expect(checkpoint.state.train).toMatchObject({ steps: 100, batchSize: 8, microBatch: 8, learningRate: 0.001, warmupSteps: 5, classDropout: 0.1, emaDecay: 0.99, minLearningRateRatio: 0.2, weightDecay: 0.02, seed: 3 });
    const config = (await readRunConfig(runDir))!;
    expect(config.runId).toBe('gpu1');
    expect(config.initFrom).toMatchObject({ path: source, step: 2 });
    expect(config.trainedWith).toEqual({ trainer: 'scripts/torch-train.py', device: 'Test GPU', versions: { torch: '9.9' }, commands: ['python3 scripts/torch-train.py --steps 100', 'npx tsx scripts/import-torch-run.ts'] });
    expect(await readMetrics(runDir)).toEqual([
      { step: 50, trainLoss: 0.8, lr: 0.001, tokensPerSec: 1000, wallSec: 5 },
      { step: 100, trainLoss: 0.7, lr: 0.0002, tokensPerSec: 1100, wallSec: 10, valLoss: 0.75, emaValLoss: 0.74 },
    ]);
    expect(await fs.readdir(join(root, 'runs'))).toEqual(['gpu1']); // no staging folder left

    const starter = await packageStarter({ runDir, id: 'from-gpu', outRoot: join(root, 'models'), perClass: 1 });
    const readme = await fs.readFile(join(starter.dir, 'README.md'), 'utf8');
    expect(readme).toContain('- checkpoint: step 100 of 100, 0 min of training (trained on Test GPU by scripts/torch-train.py)');
    expect(readme).toContain('- started from: the weight average of source (step 2');
    const own = readme.indexOf('# 1b. train (as recorded in config.json; trained on Test GPU by scripts/torch-train.py)\npython3 scripts/torch-train.py --steps 100\nnpx tsx scripts/import-torch-run.ts\n');
    expect(own).toBeGreaterThan(readme.indexOf('# 1a. the run it starts from'));
  });

  it('names the recorded commands when an imported run is the source of another', async () => {
    const files = join(root, 'out-chain');
    await writeOutputs(files);
    const first = join(root, 'chain-1');
    // relative paths are recorded absolute, as train --init-from records them
    await importExternalRun({ sourceDir: relative(process.cwd(), source), filesDir: relative(process.cwd(), files), name: 'm', runDir: relative(process.cwd(), first), commands: ['python3 scripts/torch-train.py --name first'] });
    expect((await readRunConfig(first))!.initFrom!.path).toBe(source);
    const second = join(root, 'chain-2');
    await importExternalRun({ sourceDir: first, filesDir: files, name: 'm', runDir: second, commands: ['python3 scripts/torch-train.py --name second'] });
    const readme = await fs.readFile(join((await packageStarter({ runDir: second, id: 'chain', outRoot: join(root, 'chain-models'), perClass: 1 })).dir, 'README.md'), 'utf8');
    expect(readme).toContain('# 1b. the run it starts from (haar Tf 2^-2, its weight average at step 100; trained on Test GPU by scripts/torch-train.py)\npython3 scripts/torch-train.py --name first\n');
    expect(readme).toMatch(/# 1a\. the run it starts from \(haar Tf 2\^-2, its weight average at step 2\)\nnpx tsx src\/cli\/main\.ts train --dataset bars /);
    expect(readme.indexOf('--name second')).toBeGreaterThan(readme.indexOf('--name first'));
  });

  it('refuses damaged or incomplete outputs and an existing folder, leaving nothing behind', async () => {
    const cases: [string, Parameters<typeof writeOutputs>[1], RegExp][] = [
      ['unfinished', { log: LOG.slice(0, 4).map((e) => JSON.stringify(e)).join('\n') }, /no "done" event/],
      ['not-json', { log: `${JSON.stringify(START)}\n{oops\n` }, /line 2 is not JSON/],
      ['short', { weights: shifted(0.5).slice(0, 100) }, /does not hold the source model's weights/],
      ['nan', { ema: (() => { const b = shifted(0.25); new Float32Array(b.buffer)[3] = Number.NaN; return b; })() }, /NaN or infinite/],
      ['bad-number', { log: [{ ...START, lr: 'fast' }, LOG[6]].map((e) => JSON.stringify(e)).join('\n') }, /learning rate is not a finite number/],
      ['other-language', { log: [{ ...START, tokenizer: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } }, LOG[6]].map((e) => JSON.stringify(e)).join('\n') }, /trained on sentences of .*finalExponent":-3/],
      ['last-unfinished', { log: [...LOG, START, LOG[2]].map((e) => JSON.stringify(e)).join('\n') }, /last run has no "done" event/],
    ];
    for (const [name, outputs, message] of cases) {
      const files = join(root, `bad-${name}`);
      await writeOutputs(files, outputs);
      const runDir = join(root, 'bad-runs', name);
      await fs.mkdir(join(root, 'bad-runs'), { recursive: true });
      await expect(importExternalRun({ sourceDir: source, filesDir: files, name: 'm', runDir, commands: ['x'] }), name).rejects.toThrow(message);
      expect(await fs.readdir(join(root, 'bad-runs'))).toEqual([]);
    }
    await expect(importExternalRun({ sourceDir: source, filesDir: join(root, 'out'), name: 'm', runDir: source, commands: ['x'] })).rejects.toThrow(/already exists/);
    await expect(importExternalRun({ sourceDir: join(root, 'nowhere'), filesDir: join(root, 'out'), name: 'm', runDir: join(root, 'new'), commands: ['x'] })).rejects.toThrow(/no checkpoint/);
  });

  it('reads the curve from the log: steps, then validation at the same steps (the step-0 baseline left out)', () => {
    const events = parseTrainLog(LOG.map((e) => JSON.stringify(e)).join('\n'));
    expect(logMetrics(events).map((p) => p.step)).toEqual([50, 100]);
    expect(() => parseTrainLog('{"event":"done","steps":1,"train_s":1}')).toThrow(/no "start" event/);
  });
});
