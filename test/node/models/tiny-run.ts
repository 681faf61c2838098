/**
 * Test helper: a tiny trained run folder (config.json, metrics.jsonl, checkpoint/ with
 * optimizer state), trained for a few steps on synthetic 12 x 12 bar images on the cpu
 * backend, and a no-job service context for handler tests.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createGpt } from '../../../src/core/model/gpt';
import { createGptTrainTask } from '../../../src/core/model/train-task';
import { readVariables } from '../../../src/core/model/weights';
import { fitStartStats } from '../../../src/core/sample/start';
import { validateTrainConfig } from '../../../src/core/train/config';
import { train } from '../../../src/core/train/trainer';
import { saveCheckpoint } from '../../../src/node/runs/checkpoint';
import { appendMetric, writeRunConfig } from '../../../src/node/runs/store';
import type { ServiceContext } from '../../../src/node/service/context';
import { syntheticCorpus, tinyConfig } from '../../core/model/synthetic';

export async function makeTinyRun(runDir: string, steps = 3, options: { emaDecay?: number } = {}): Promise<void> {
  const corpus = syntheticCorpus(12, 3);
  const model = createGpt(tinyConfig({ context: 512 }));
  const trainConfig = validateTrainConfig({ steps, batchSize: 4, microBatch: 2, warmupSteps: 1, evalEvery: 0, metricsEvery: 1, checkpointEvery: steps, galleryEvery: 0, emaDecay: options.emaDecay ?? 0 });
  const stats = fitStartStats(corpus);
  await fs.mkdir(runDir, { recursive: true });
  await writeRunConfig(runDir, {
    schemaVersion: 1, runId: 'tiny', datasetId: 'bars', preset: 'tiny', tokenizer: corpus.tokenizer, model: model.config, train: trainConfig, seed: 0, createdAt: 0,
  });
  try {
    const task = createGptTrainTask(model, corpus, null, { batchSize: 4, microBatch: 2, valSentences: 4, seed: 0 });
    await train(task, trainConfig, { step: 0 }, {
      onEvent: (e) => {
        if (e.type === 'metrics') void appendMetric(runDir, { step: e.step, trainLoss: e.trainLoss, lr: e.lr, tokensPerSec: 1, wallSec: e.wallSec });
      },
      saveCheckpoint: (snap) => saveCheckpoint(runDir, {
        step: snap.step, rng: snap.rng, wallSec: snap.wallSec, optimizerUpdates: snap.optimizer.updates, model: model.config, train: trainConfig,
        tokenizer: corpus.tokenizer, geometry: corpus.geometry, datasetId: 'bars', classes: corpus.classes, stats, params: model.params,
      }, readVariables(model), snap.optimizer.arrays, snap.ema),
    });
  } finally {
    model.dispose();
  }
  await fs.access(join(runDir, 'checkpoint', 'state.json'));
}

export function serviceContext(workspace: string): ServiceContext {
  const none = (): never => {
    throw new Error('no jobs in this test');
  };
  return {
    workspace, mode: 'electron', // the desktop app: paths are taken as given (browser-mode confinement has its own tests)
    jobs: { start: none, list: () => [], get: none, cancel: none, pause: none, resume: none, onEvent: () => () => undefined, shutdown: async () => undefined },
  };
}
