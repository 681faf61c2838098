/**
 * Benchmark: training throughput of the transformer on random features.
 * `npm run bench -- train --layers 4 --width 128 --heads 4 --context 512 --batch 8 --json`
 * prints one JSON line: backend, train_tokens_per_s, peak_rss_mb, params, config.
 * Comparable with shared/bench/torch_reference.py on the same configuration.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { validateModelConfig } from '../../core/model/config';
import { createGpt, VOCAB } from '../../core/model/gpt';
import { createAdamW } from '../../core/train/adamw';
import { isBackendName, selectBackend } from '../../node/backend';
import { StudioError } from '../../shared/result';

export const benchOptions = {
  layers: { type: 'number', description: 'transformer blocks', default: 4 },
  width: { type: 'number', description: 'model width', default: 128 },
  heads: { type: 'number', description: 'attention heads', default: 4 },
  context: { type: 'number', description: 'sequence length T', default: 512 },
  batch: { type: 'number', description: 'sentences per step', default: 8 },
  steps: { type: 'number', description: 'timed steps', default: 3 },
  backend: { type: 'string', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu', default: 'auto' },
  json: { type: 'boolean', description: 'one JSON line on stdout', default: false },
} as const;

export async function benchSetup(argv: string[]): Promise<{ options: Record<string, string | number | boolean | undefined>; backend: string; model: ReturnType<typeof createGpt> }> {
  const { options } = parseArgs(argv, benchOptions);
  const requested = String(options.backend);
  if (!isBackendName(requested)) throw new StudioError('BAD_REQUEST', `unknown backend "${requested}"`);
  const { name } = await selectBackend(requested);
  const model = createGpt(validateModelConfig({
    layers: Number(options.layers), width: Number(options.width), heads: Number(options.heads), context: Number(options.context),
  }));
  return { options, backend: name, model };
}

export function printResult(json: boolean, result: Record<string, unknown>): void {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(22)}${String(v)}\n`);
}

export const command: CliCommand = {
  summary: 'training throughput (tokens/s) of a model configuration on random inputs',
  options: benchOptions,
  async run(argv) {
    const { options, backend, model } = await benchSetup(argv);
    const B = Number(options.batch);
    const T = Number(options.context);
    const F = model.layout.size;
    const features = tf.randomUniform([B, T, F]) as tf.Tensor3D;
    const weights = tf.fill([B * T, VOCAB], 1 / (B * T * VOCAB)) as tf.Tensor2D;
    const optimizer = createAdamW(model.variables, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.01 });
    const vars = model.variables.map((v) => v.variable);
    let peakRss = process.memoryUsage().rss;
    const step = (): void => {
      const { value, grads } = tf.variableGrads(() => model.loss(features, weights), vars);
      const byName = Object.fromEntries(model.variables.map((v) => [v.name, grads[v.variable.name]]));
      optimizer.apply(byName, 1e-4);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    };
    step(); // warm-up
    const steps = Math.max(1, Number(options.steps));
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const sec = (performance.now() - t0) / 1000;
    printResult(Boolean(options.json), {
      bench: 'train', backend, params: model.params, layers: model.config.layers, width: model.config.width, heads: model.config.heads,
      context: T, batch: B, features: F, train_tokens_per_s: Math.round((steps * B * T) / sec), peak_rss_mb: Math.round(peakRss / 2 ** 20),
    });
    tf.dispose([features, weights]);
    optimizer.dispose();
    model.dispose();
  },
};

