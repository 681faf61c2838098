/**
 * Benchmark: cached sampling throughput (tokens/s over a batch) of a model configuration
 * on random features, one token per step, as in generation.
 * `npm run bench -- sample --layers 4 --width 128 --heads 4 --context 512 --batch 8 --json`
 */
import * as tf from '@tensorflow/tfjs';
import type { CliCommand } from '../command';
import { disposeCache, type KvCache } from '../../core/model/gpt';
import { benchOptions, benchSetup, printResult } from './train';

export const command: CliCommand = {
  summary: 'cached sampling throughput (tokens/s) of a model configuration',
  options: { ...benchOptions, tokens: { type: 'number', description: 'tokens generated per row (default: context)' } },
  async run(argv) {
    const withoutTokens: string[] = [];
    let tokensArg: number | undefined;
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--tokens') tokensArg = Number(argv[++i]);
      else if (argv[i].startsWith('--tokens=')) tokensArg = Number(argv[i].slice(9));
      else withoutTokens.push(argv[i]);
    }
    const { options, backend, model } = await benchSetup(withoutTokens);
    const B = Number(options.batch);
    const steps = Math.min(model.config.context, tokensArg ?? Number(options.context));
    const F = model.layout.size;
    let cache: KvCache | null = null;
    let peakRss = process.memoryUsage().rss;
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const x = tf.randomUniform([B, 1, F]) as tf.Tensor3D;
      const out = model.run(x, cache);
      x.dispose();
      disposeCache(cache);
      cache = out.cache;
      out.logits.dataSync();
      out.logits.dispose();
      if (s % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const sec = (performance.now() - t0) / 1000;
    disposeCache(cache);
    printResult(Boolean(options.json), {
      bench: 'sample', backend, params: model.params, layers: model.config.layers, width: model.config.width, heads: model.config.heads,
      context: model.config.context, batch: B, tokens_per_row: steps, sample_tokens_per_s: Math.round((B * steps) / sec), peak_rss_mb: Math.round(peakRss / 2 ** 20),
    });
    model.dispose();
  },
};
