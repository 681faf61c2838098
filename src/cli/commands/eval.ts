/**
 * `eval`: evaluates a model (a run directory, workspace/models/<id>, a starter folder
 * resources/models/<id>, or a model id): N
 * class-conditional samples judged for class consistency and FID (with the real-vs-real
 * floor), bits per image of test sentences, wall time per image. Writes D/eval-report.json.
 * Samples are drawn with the flags' settings, else the model's recommended ones.
 * Used by: the CLI registry (src/cli/commands/index.ts).
 */
import { resolve } from 'node:path';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar, type ProgressBar } from '../progress';
import { formatEvalSummary } from '../../core/eval/report';
import { evaluateModelDir } from '../../node/eval/evaluate-dir';
import { recommendedSampling, resolveModelDir } from '../../node/runs/models';
import { selectBackend } from '../../node/backend';
import { describeRecommended, readSamplingOptions, SAMPLING_OPTIONS } from '../sampling-options';
import { evalStartSchema } from '../../shared/schemas';
import { StudioError } from '../../shared/result';

const options = {
  model: { type: 'string', description: 'model folder (run, workspace/models/<id>, resources/models/<id>) or a model id' },
  samples: { type: 'number', description: 'class-conditional samples to generate', default: 1000 },
  ...SAMPLING_OPTIONS,
  'bits-images': { type: 'number', description: 'test sentences scored for bits per image', default: 500 },
  judge: { type: 'string', description: 'judge folder (default: resources/judges/<dataset>)' },
  json: { type: 'boolean', description: 'print the report as one JSON line' },
} as const;

export const command: CliCommand = {
  summary: 'evaluate a model: class consistency, FID, bits per image, speed',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const dir = resolve(await resolveModelDir(readSamplingOptions(args.options).workspace, requireString(args, 'model')));
    const shared = readSamplingOptions(args.options, await recommendedSampling(dir));
    await selectBackend(shared.backend);
    process.stderr.write(describeRecommended(shared));
    const checked = evalStartSchema.safeParse({ modelId: 'cli', samples: args.options.samples, seed: shared.seed, sampling: shared.sampling });
    if (!checked.success) throw new StudioError('BAD_REQUEST', `--${String(checked.error.issues[0].path[0])}: ${checked.error.issues[0].message}`);
    const bars = new Map<string, ProgressBar>();
    const report = await evaluateModelDir(dir, {
      samples: checked.data.samples,
      seed: checked.data.seed,
      sampling: checked.data.sampling,
      bitsImages: Number(args.options['bits-images']),
      judgeDir: typeof args.options.judge === 'string' ? resolve(args.options.judge) : undefined,
      onProgress: (stage, done, total) => {
        let bar = bars.get(stage);
        if (!bar) bars.set(stage, (bar = createProgressBar(stage, total)));
        if (done >= total) bar.finish();
        else bar.update(done);
      },
    });
    process.stdout.write(`${formatEvalSummary(report)}\n  report: ${dir}/eval-report.json\n`);
    if (args.options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  },
};
