/**
 * `bench tokenize`: encode and decode throughput (images/s) of the wavelet language over
 * the first N MNIST training images, for haar (Tf 2^-3) and bior4.4 (Tf 2^-4), beside
 * PyWavelets' wavedec2 + waverec2 alone on the same images (scripts/pywt-bench.py through
 * /usr/bin/python3; null with a reason when it cannot run). One JSON line with --json.
 * Used by: the bench registry (src/cli/bench/index.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { decodeSentence, encodeImage, geometryFor, type EncodedImage } from '../../core/language/index';
import type { TokenizerConfig } from '../../core/language/types';
import { StudioError } from '../../shared/result';
import { loadMnist } from '../../node/datasets/builtins';

const options = {
  count: { type: 'number', description: 'number of MNIST training images', default: 10000 },
  json: { type: 'boolean', description: 'print one JSON line with the figures' },
} as const;

const CONFIGS: Record<string, TokenizerConfig> = {
  haar: { wavelet: 'haar', finalExponent: -3, variant: 'blocks' },
  'bior4.4': { wavelet: 'bior4.4', finalExponent: -4, variant: 'blocks' },
};

interface Rates {
  encode_images_per_s: number;
  decode_images_per_s: number;
  mean_length: number;
}

function measure(images: Uint8Array, count: number, config: TokenizerConfig): Rates {
  const encoded: EncodedImage[] = new Array(count);
  let tokens = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) encoded[i] = encodeImage(images.subarray(i * 784, (i + 1) * 784), 28, 28, config);
  const t1 = performance.now();
  const geometry = geometryFor(28, 28);
  for (let i = 0; i < count; i++) tokens += decodeSentence(encoded[i].tokens, encoded[i].startExponent, geometry, config).consumed;
  const t2 = performance.now();
  return {
    encode_images_per_s: Math.round(count / ((t1 - t0) / 1000)),
    decode_images_per_s: Math.round(count / ((t2 - t1) / 1000)),
    mean_length: Number((tokens / count).toFixed(1)),
  };
}

/** Runs the PyWavelets reference; null with a reason when it cannot. */
function pywtRates(count: number): { rates: unknown; reason?: string } {
  const script = fileURLToPath(new URL('../../../scripts/pywt-bench.py', import.meta.url));
  if (!existsSync(script)) return { rates: null, reason: 'scripts/pywt-bench.py not found' };
  if (!existsSync('/usr/bin/python3')) return { rates: null, reason: '/usr/bin/python3 not found' };
  const run = spawnSync('/usr/bin/python3', [script, String(count)], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) {
    const missing = /No module named '(pywt|numpy)'/.exec(run.stderr ?? '');
    return { rates: null, reason: missing ? `python3 module ${missing[1]} missing (install python3-pywt)` : `pywt-bench.py failed: ${(run.stderr || String(run.error ?? '')).trim().split('\n').at(-1)}` };
  }
  try {
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    return { rates: (JSON.parse(line) as { pywt_forward_inverse_images_per_s: unknown }).pywt_forward_inverse_images_per_s };
  } catch {
    return { rates: null, reason: `pywt-bench.py printed no JSON: ${run.stdout.slice(0, 200)}` };
  }
}

export const command: CliCommand = {
  summary: 'encode / decode images per second over MNIST, beside PyWavelets wavedec2 + waverec2',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const count = Number(args.options.count);
    if (!Number.isInteger(count) || count < 1 || count > 60000) throw new StudioError('BAD_REQUEST', '--count must be an integer in 1..60000');
    const mnist = await loadMnist();
    measure(mnist.images, Math.min(count, 200), CONFIGS.haar); // warm up the JIT
    const ours: Record<string, Rates> = {};
    for (const [name, config] of Object.entries(CONFIGS)) {
      process.stderr.write(`bench tokenize: ${name} over ${count} images...\n`);
      ours[name] = measure(mnist.images, count, config);
    }
    process.stderr.write('bench tokenize: PyWavelets reference...\n');
    const pywt = pywtRates(count);
    const result = {
      bench: 'tokenize',
      images: count,
      tokenizers: CONFIGS,
      wavelet_language: ours,
      pywt_wavedec2_waverec2_images_per_s: pywt.rates,
      ...(pywt.reason ? { pywt_reason: pywt.reason } : {}),
    };
    for (const [name, r] of Object.entries(ours)) {
      process.stdout.write(`${name}: encode ${r.encode_images_per_s}/s, decode ${r.decode_images_per_s}/s, mean length ${r.mean_length}\n`);
    }
    process.stdout.write(`PyWavelets forward + inverse: ${pywt.rates ? JSON.stringify(pywt.rates) : `n/a (${pywt.reason})`}\n`);
    if (args.options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  },
};
