/**
 * `sample`: images of a class (or of every class) from a trained model, written as PNGs at
 * the dataset's size (DIR/<class>/<i>.png) with DIR/samples.json (every parameter and the
 * sentences).  sample --model runs/small-1 --class 3 --count 8 --seed 1 --out out/
 */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar } from '../progress';
import { openSamplingModel, SAMPLING_OPTIONS } from '../sampling-options';
import { decodeSentence, type Geometry, type TokenizerConfig } from '../../core/language';
import { sampleSentences } from '../../core/sample/sampler';
import { StudioError } from '../../shared/result';
import { asStudioError, toGenerated } from '../../worker/jobs/sample';

const options = {
  model: { type: 'string', description: 'run or model folder, or a model id' },
  class: { type: 'number', description: 'class index to sample' },
  count: { type: 'number', description: 'samples of --class', default: 4 },
  'per-class': { type: 'number', description: 'samples of every class (instead of --class)' },
  'start-exponent': { type: 'number', description: 'log2 T0 (default: drawn from the class histogram)' },
  'robust-start': { type: 'boolean', description: 'draw the LL coefficients from the class Gaussian', default: false },
  out: { type: 'string', description: 'output folder' },
  ...SAMPLING_OPTIONS,
} as const;

export async function writePng(path: string, pixels: Uint8Array, width: number, height: number): Promise<void> {
  await sharp(Buffer.from(pixels), { raw: { width, height, channels: 1 } }).png().toFile(path);
}

export function decodePixels(tokens: ArrayLike<number>, startExponent: number, geometry: Geometry, tokenizer: TokenizerConfig): Uint8Array {
  return decodeSentence(tokens, startExponent, geometry, tokenizer).pixels;
}

export const command: CliCommand = {
  summary: 'sample images of a class from a trained model into PNG files',
  options,
  async run(argv) {
    const args = parseArgs(argv, options);
    const o = args.options;
    const out = resolve(requireString(args, 'out'));
    const { model, meta, state, options: common, backend, dir } = await openSamplingModel(args);
    const perClass = o['per-class'] as number | undefined;
    if (perClass === undefined && o.class === undefined) throw new StudioError('BAD_REQUEST', '--class or --per-class is required');
    const classes = perClass !== undefined ? meta.classes.map((_, i) => i) : [Number(o.class)];
    const count = perClass ?? Number(o.count);
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new StudioError('BAD_REQUEST', `--count must be 1..1000, got ${count}`);
    process.stderr.write(`sampling ${count} x ${classes.length} class(es) from ${dir} (step ${state.step}) [backend ${backend}]\n`);
    const bar = createProgressBar('sample', count * classes.length);
    const all = [];
    const t0 = performance.now();
    let done = 0;
    try {
      for (const classIndex of classes) {
        const sentences = await sampleSentences(model, meta, {
          classIndex, count, startExponent: (o['start-exponent'] as number | undefined) ?? null, sampling: common.sampling, seed: common.seed + classIndex * 100003,
          robustStart: Boolean(o['robust-start']), batchSize: 16,
        }, { onEvent: (e) => e.type === 'progress' && bar.update(done, `step ${e.step}`) }).catch((e: unknown) => {
          throw asStudioError(e);
        });
        const classDir = join(out, meta.classes[classIndex].replace(/[^A-Za-z0-9._-]/g, '_'));
        await fs.mkdir(classDir, { recursive: true });
        for (const [i, s] of sentences.entries()) {
          await writePng(join(classDir, `${i}.png`), decodePixels(s.tokens, s.startExponent, meta.geometry, meta.tokenizer), meta.geometry.width, meta.geometry.height);
          all.push({ ...toGenerated(s, meta.geometry), complete: s.complete, file: join(classDir, `${i}.png`) });
        }
        done += sentences.length;
        bar.update(done);
      }
    } finally {
      model.dispose();
    }
    bar.finish();
    const wallSec = (performance.now() - t0) / 1000;
    const tokens = all.reduce((n, s) => n + s.tokens.length, 0);
    await fs.writeFile(join(out, 'samples.json'), JSON.stringify({ model: dir, step: state.step, backend, seed: o.seed, sampling: common.sampling, robustStart: o['robust-start'], startExponent: o['start-exponent'] ?? null, wallSec, samples: all }, null, 1));
    process.stdout.write(`wrote ${all.length} images to ${out} (${Math.round(tokens / wallSec)} tokens/s, backend ${backend})\n`);
  },
};
