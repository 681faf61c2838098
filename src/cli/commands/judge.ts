/**
 * `judge`: trains the judge classifier of a built-in dataset on its training split,
 * measures its test accuracy, and saves it (tfjs layout + judge.json) to --out.
 * Used by: the CLI registry (src/cli/commands/index.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar } from '../progress';
import { createJudge, validateJudgeConfig } from '../../core/eval/judge';
import { judgeAccuracy, trainJudge } from '../../core/eval/judge-train';
import { ensureEvalBackend } from '../../node/eval/backend';
import { isBuiltinId, loadBuiltinImages, subsetOf } from '../../node/eval/builtin-images';
import { BUILTIN_CLASSES } from '../../node/eval/classes';
import { saveJudge, shippedJudgeDir } from '../../node/eval/judge-store';
import { StudioError } from '../../shared/result';

const options = {
  dataset: { type: 'string', description: 'built-in dataset: mnist or fashion-mnist' },
  epochs: { type: 'number', description: 'passes over the training split', default: 3 },
  out: { type: 'string', description: 'output folder (default resources/judges/<dataset>)' },
  seed: { type: 'number', description: 'seed of initialisation and shuffling', default: 0 },
  batch: { type: 'number', description: 'batch size', default: 64 },
  lr: { type: 'number', description: 'Adam learning rate of the first epoch', default: 0.001 },
  'lr-decay': { type: 'number', description: 'learning-rate factor per epoch (1 = constant)', default: 1 },
  'train-limit': { type: 'number', description: 'use only this many training images (0 = all)', default: 0 },
  json: { type: 'boolean', description: 'print one JSON line with the result' },
} as const;

export const command: CliCommand = {
  summary: 'train the judge classifier of a built-in dataset (for eval)',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const dataset = requireString(args, 'dataset');
    if (!isBuiltinId(dataset)) throw new StudioError('BAD_REQUEST', `--dataset must be mnist or fashion-mnist, got "${dataset}"`);
    const epochs = Number(args.options.epochs);
    const seed = Number(args.options.seed);
    const out = typeof args.options.out === 'string' ? args.options.out : shippedJudgeDir(dataset);
    const backend = await ensureEvalBackend();
    const fullTrain = await loadBuiltinImages(dataset, 'train');
    const limit = Number(args.options['train-limit']);
    const train = limit > 0 ? subsetOf(fullTrain, limit, seed) : fullTrain;
    const test = await loadBuiltinImages(dataset, 'test');
    const config = validateJudgeConfig({ seed });
    const model = createJudge(config);
    const batchSize = Number(args.options.batch);
    const bar = createProgressBar(`judge ${dataset} (${backend})`, epochs * Math.ceil(train.count / batchSize));
    let recent = 0;
    await trainJudge(model, train, {
      epochs, batchSize, learningRate: Number(args.options.lr), lrDecay: Number(args.options['lr-decay']), seed,
      onEvent: (e) => {
        if (e.type === 'step') {
          recent = 0.98 * recent + 0.02 * e.loss;
          bar.update(e.step, `loss ${(recent / (1 - 0.98 ** e.step)).toFixed(4)}`);
        }
      },
    });
    bar.finish();
    const testAccuracy = await judgeAccuracy(model, test);
    const meta = await saveJudge(model, out, {
      datasetId: dataset, classes: [...BUILTIN_CLASSES[dataset]], config, testAccuracy, testCount: test.count,
      trainCount: train.count, epochs, seed, trainedAt: new Date().toISOString(),
      command: `npm run cli -- judge ${argv.join(' ')}`.trim(),
    });
    model.dispose();
    const summary = { dataset, out, testAccuracy, testCount: test.count, contentHash: meta.contentHash, backend, tensors: tf.memory().numTensors };
    process.stdout.write(`judge ${dataset}: test accuracy ${(testAccuracy * 100).toFixed(2)}% on ${test.count} images -> ${out}\n`);
    if (args.options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  },
};
