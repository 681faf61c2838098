/**
 * `package-starter`: builds a starter model folder (weights without optimizer state,
 * configs, class names, start histograms, training curve, eval report, sample grid,
 * README) from a run's latest checkpoint; see node/models/starter.ts.
 *   package-starter --run-dir runs/mnist-small --id mnist-small [--out resources/models] [--top-p 0.6]
 */
import { resolve } from 'node:path';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar, type ProgressBar } from '../progress';
import { isBackendName, selectBackend } from '../../node/backend';
import { packageStarter, STARTER_MAX_BYTES } from '../../node/models/starter';
import { starterModelsDir } from '../../node/runs/models';
import { StudioError } from '../../shared/result';
import { samplingSchema } from '../../shared/schemas';
import { describeIssues } from '../../shared/validation';

const options = {
  'run-dir': { type: 'string', description: 'training run folder (its newest intact checkpoint is used)' },
  id: { type: 'string', description: 'model id = folder name, e.g. mnist-small' },
  out: { type: 'string', description: 'parent folder (default: the app\'s resources/models)' },
  'per-class': { type: 'number', description: 'samples of every class in samples.png', default: 8 },
  seed: { type: 'number', description: 'sampling seed of the grid', default: 0 },
  temperature: { type: 'number', description: 'recommended temperature (recorded in config.json, used for the grid)' },
  'top-k': { type: 'number', description: 'recommended top-k, 0 = off' },
  'top-p': { type: 'number', description: 'recommended top-p, 1 = off' },
  guidance: { type: 'number', description: 'recommended classifier-free guidance scale, 1 = off' },
  'guidance-planes': { type: 'number', description: 'recommended guidance interval: leading bit-planes guided, 0 = every plane' },
  scale: { type: 'number', description: 'integer upscaling of samples.png', default: 2 },
  'max-mb': { type: 'number', description: 'refuse a folder larger than this', default: STARTER_MAX_BYTES / 2 ** 20 },
  backend: { type: 'string', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu', default: 'auto' },
  json: { type: 'boolean', description: 'print the result as one JSON line' },
} as const;

export const command: CliCommand = {
  summary: 'build a starter model folder (no optimizer state) from a run',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const o = args.options;
    const runDir = resolve(requireString(args, 'run-dir'));
    const id = requireString(args, 'id');
    const outRoot = typeof o.out === 'string' ? resolve(o.out) : starterModelsDir();
    const scale = Number(o.scale);
    if (!Number.isInteger(scale) || scale < 1 || scale > 8) throw new StudioError('BAD_REQUEST', `--scale must be 1..8, got ${scale}`);
    const backendName = String(o.backend);
    if (!isBackendName(backendName)) throw new StudioError('BAD_REQUEST', `unknown backend "${backendName}"`);
    const { name: backend } = await selectBackend(backendName);
    const perClass = Number(o['per-class']);
    const seed = Number(o.seed);
    const outFlag = typeof o.out === 'string' ? ` --out ${o.out}` : '';
    const given = o.temperature !== undefined || o['top-k'] !== undefined || o['top-p'] !== undefined || o.guidance !== undefined || o['guidance-planes'] !== undefined;
    const checked = samplingSchema.safeParse({ temperature: o.temperature, topK: o['top-k'], topP: o['top-p'], guidance: o.guidance, guidancePlanes: o['guidance-planes'] });
    if (!checked.success) throw new StudioError('BAD_REQUEST', `sampling: ${describeIssues(checked.error.issues)}`);
    if (checked.data.guidancePlanes && checked.data.guidance === 1) throw new StudioError('BAD_REQUEST', '--guidance-planes needs --guidance other than 1 (it limits guidance to the first bit-planes)');
    const sampling = given ? checked.data : undefined;
    const samplingFlags = sampling ? ` --temperature ${sampling.temperature} --top-k ${sampling.topK} --top-p ${sampling.topP} --guidance ${sampling.guidance}${sampling.guidancePlanes ? ` --guidance-planes ${sampling.guidancePlanes}` : ''}` : '';
    const commandLine = `npx tsx src/cli/main.ts package-starter --run-dir runs/<run> --id ${id}${outFlag} --per-class ${perClass} --seed ${seed}${samplingFlags}`;
    process.stderr.write(`packaging ${runDir} as ${id} in ${outRoot} [backend ${backend}]\n`);
    let bar: ProgressBar | null = null;
    const result = await packageStarter({
      runDir, id, outRoot, perClass, seed, scale, sampling, maxBytes: Number(o['max-mb']) * 2 ** 20, command: commandLine,
      ...(typeof o.out === 'string' ? { modelPath: `${o.out.replace(/\/+$/, '')}/${id}` } : {}),
      onProgress: (done, total) => (bar ??= createProgressBar('samples', total)).update(done),
    });
    (bar as ProgressBar | null)?.finish();
    process.stdout.write(`wrote ${result.dir} (step ${result.step}, ${result.params} parameters, ${result.files.length} files, ${(result.totalBytes / 2 ** 20).toFixed(2)} MB)\n`);
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  },
};
