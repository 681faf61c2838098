/**
 * `edit`: regenerates a region of an image with a trained model: the image is coded into a
 * sentence, the mask (white = region) selects coefficients, and `count` variants are
 * written as PNGs; outside the region's footprint every pixel stays as coded.
 *   edit --model runs/small-1 --image in.png --mask mask.png --out out/ [--count 4]
 */
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { openSamplingModel, SAMPLING_OPTIONS } from '../sampling-options';
import { assertRegionVariant, encodeImage } from '../../core/language';
import { regenerateRegion } from '../../core/sample/sampler';
import { decodeImageFile } from '../../node/datasets/images';
import { StudioError } from '../../shared/result';
import { asStudioError, toGenerated } from '../../worker/jobs/sample';
import { decodePixels, writePng } from './sample';

const options = {
  model: { type: 'string', description: 'run or model folder, or a model id' },
  image: { type: 'string', description: 'source image (PNG/JPEG/WebP, grayscale at the model size)' },
  mask: { type: 'string', description: 'mask image, same size: bright = region' },
  out: { type: 'string', description: 'output folder' },
  count: { type: 'number', description: 'variants', default: 4 },
  selection: { type: 'string', description: 'touching | contained', default: 'touching' },
  class: { type: 'number', description: 'class of the image', default: 0 },
  'region-class': { type: 'number', description: 'class fed inside the region (default --class)' },
  ...SAMPLING_OPTIONS,
} as const;

export const command: CliCommand = {
  summary: 'regenerate a masked region of an image with a trained model',
  options,
  async run(argv) {
    const args = parseArgs(argv, options);
    const o = args.options;
    const out = resolve(requireString(args, 'out'));
    const selection = String(o.selection);
    if (selection !== 'touching' && selection !== 'contained') throw new StudioError('BAD_REQUEST', `--selection must be touching or contained, got ${selection}`);
    const { model, meta, options: common, backend, dir } = await openSamplingModel(args);
    try {
      try {
        assertRegionVariant(meta.tokenizer);
      } catch (e) {
        throw new StudioError('BAD_REQUEST', `${dir}: ${(e as Error).message}`);
      }
      const target = { width: meta.geometry.width, height: meta.geometry.height };
      const image = await decodeImageFile(requireString(args, 'image'), { maxSize: 256, resize: false, target, sizeOf: "the model's images are" });
      const maskImage = await decodeImageFile(requireString(args, 'mask'), { maxSize: 256, resize: false, target, sizeOf: 'the mask must match the model:' });
      const mask = Uint8Array.from(maskImage.pixels, (v) => (v >= 128 ? 1 : 0));
      const source = encodeImage(image.pixels, image.width, image.height, meta.tokenizer);
      process.stderr.write(`editing ${mask.reduce((a, b) => a + b, 0)} masked pixels, ${Number(o.count)} variants [backend ${backend}]\n`);
      const sentences = await regenerateRegion(model, meta, {
        source, mask, selection, classIndex: Number(o.class), regionClass: o['region-class'] as number | undefined, count: Number(o.count),
        sampling: common.sampling, seed: common.seed,
      }).catch((e: unknown) => {
        throw asStudioError(e);
      });
      await fs.mkdir(out, { recursive: true });
      await writePng(join(out, 'source.png'), decodePixels(source.tokens, source.startExponent, meta.geometry, meta.tokenizer), target.width, target.height);
      for (const [i, s] of sentences.entries()) {
        await writePng(join(out, `${i}.png`), decodePixels(s.tokens, s.startExponent, meta.geometry, meta.tokenizer), target.width, target.height);
      }
      await fs.writeFile(join(out, 'edits.json'), JSON.stringify({ model: dir, backend, selection, seed: o.seed, source: { tokens: Array.from(source.tokens), startExponent: source.startExponent }, samples: sentences.map((s) => toGenerated(s, meta.geometry)) }, null, 1));
      process.stdout.write(`wrote source.png and ${sentences.length} variants to ${out} (backend ${backend})\n`);
    } finally {
      model.dispose();
    }
  },
};
