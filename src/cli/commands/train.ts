/**
 * `train`: trains (or resumes) a model on a dataset into a run folder, with a progress bar
 * (loss, tokens/s, ETA). Ctrl-C or SIGTERM writes a checkpoint and exits; running the same command
 * again resumes from it.
 *   train --dataset mnist --preset small --run-dir runs/small-1 [--steps N] [--backend wasm]
 *   train --final-exponent -2 --init-from runs/small-1 --run-dir runs/small-2   (finer language, same weights to start)
 */
import { resolve } from 'node:path';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar, type ProgressBar } from '../progress';
import { DEFAULT_TOKENIZER_CONFIG, validateTokenizerConfig, type TokenizerConfig } from '../../core/language';
import { isBackendName } from '../../node/backend';
import { resolveModelDir } from '../../node/runs/models';
import { resolveWorkspace } from '../../node/workspace';
import { getManifest } from '../../node/datasets/catalog';
import { StudioError } from '../../shared/result';
import { runTraining } from '../../worker/jobs/train';

const options = {
  dataset: { type: 'string', description: 'dataset id (mnist, fashion-mnist or an imported one)', default: 'mnist' },
  preset: { type: 'string', description: 'tiny | small | paper', default: 'small' },
  'run-dir': { type: 'string', description: 'run folder (resumed when it holds a checkpoint)' },
  steps: { type: 'number', description: 'total optimizer steps (overrides the preset)' },
  wavelet: { type: 'string', description: "haar | bior4.4 | bior2.2 (default: the dataset's tokenizer)" },
  'final-exponent': { type: 'number', description: "log2 of the final threshold Tf (default: the dataset's)" },
  'init-from': { type: 'string', description: 'start a new run from the weights of a model (id or folder), e.g. one trained on a coarser language' },
  seed: { type: 'number', description: 'seed of init and batches', default: 0 },
  set: { type: 'string', description: 'overrides, e.g. "model.layers=2,train.learningRate=0.001"' },
  backend: { type: 'string', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu', default: 'auto' },
  workspace: { type: 'string', description: 'workspace folder (datasets, token caches)' },
  json: { type: 'boolean', description: 'print the result as one JSON line', default: false },
} as const;

/** "model.layers=2,train.steps=10" -> { model: {layers: 2}, train: {steps: 10} }. */
export function parseOverrides(text: string | undefined): { model: Record<string, number | boolean | string>; train: Record<string, number | boolean | string> } {
  const out = { model: {} as Record<string, number | boolean | string>, train: {} as Record<string, number | boolean | string> };
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(model|train)\.([A-Za-z0-9]+)=(.+)$/.exec(part);
    if (!m) throw new StudioError('BAD_REQUEST', `--set expects model.<key>=<value> or train.<key>=<value>, got "${part}"`);
    const raw = m[3];
    out[m[1] as 'model' | 'train'][m[2]] = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

/** --wavelet / --final-exponent over the dataset's own tokenizer (haar 2^-3 for MNIST, bior4.4 2^-4 for Fashion-MNIST). */
export async function trainTokenizer(workspace: string, datasetId: string, o: Record<string, unknown>): Promise<TokenizerConfig> {
  const base = (await getManifest(workspace, datasetId).catch(() => undefined))?.defaultTokenizer ?? DEFAULT_TOKENIZER_CONFIG;
  return validateTokenizerConfig({
    ...base,
    ...(o.wavelet !== undefined ? { wavelet: o.wavelet } : {}),
    ...(o['final-exponent'] !== undefined ? { finalExponent: o['final-exponent'] } : {}),
  });
}

export const command: CliCommand = {
  summary: 'train or resume a model into a run folder (Ctrl-C or SIGTERM checkpoints and exits)',
  options,
  async run(argv) {
    const args = parseArgs(argv, options);
    const runDir = resolve(requireString(args, 'run-dir'));
    const backend = String(args.options.backend);
    if (!isBackendName(backend)) throw new StudioError('BAD_REQUEST', `unknown backend "${backend}"`);
    let tokenizer;
    try {
      tokenizer = await trainTokenizer(resolveWorkspace(args.options.workspace as string | undefined), String(args.options.dataset), args.options);
    } catch (e) {
      throw new StudioError('BAD_REQUEST', (e as Error).message);
    }
    const workspace = resolveWorkspace(args.options.workspace as string | undefined);
    const initFrom = args.options['init-from'] !== undefined ? resolve(await resolveModelDir(workspace, String(args.options['init-from']))) : undefined;
    const overrides = parseOverrides(args.options.set as string | undefined);
    if (args.options.steps !== undefined) overrides.train.steps = Number(args.options.steps);
    const controller = new AbortController();
    let interrupts = 0;
    // Ctrl-C or a service manager's SIGTERM: finish the step, write a checkpoint, exit
    const onSigint = (signal: NodeJS.Signals): void => {
      interrupts += 1;
      if (interrupts > 1) process.exit(signal === 'SIGTERM' ? 143 : 130);
      process.stderr.write(`\n${signal === 'SIGTERM' ? 'terminated' : 'interrupted'}: writing a checkpoint (Ctrl-C again to quit at once)\n`);
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    let bar: ProgressBar | null = null;
    let barLabel = '';
    try {
      const result = await runTraining({
        workspace,
        runDir, datasetId: String(args.options.dataset), tokenizer, preset: String(args.options.preset), model: overrides.model, train: overrides.train,
        seed: Number(args.options.seed), backend, initFrom,
        signal: controller.signal, pauseGate: async () => {},
        emit: (e) => {
          if (e.type === 'started') process.stderr.write(`${e.detail ?? ''} [backend ${e.backend}]\n`);
          else if (e.type === 'progress') {
            if (e.message?.startsWith('weights from ')) {
              bar?.finish();
              bar = null;
              barLabel = '';
              process.stderr.write(`${e.message}\n`);
              return;
            }
            const label = e.message === 'tokenizing' || e.message === 'token cache hit' ? 'tokenize' : 'train';
            if (label !== barLabel || !bar) {
              bar?.finish();
              bar = createProgressBar(label, e.total);
              barLabel = label;
            }
            bar.update(e.done, `${label === 'train' ? e.message ?? '' : ''} rss ${e.rssMb ?? '?'}MB`);
          } else if (e.type === 'metrics' && e.point.valLoss !== undefined) {
            const ema = e.point.emaValLoss !== undefined ? ` (average ${e.point.emaValLoss.toFixed(4)})` : '';
            process.stderr.write(`\nstep ${e.point.step}: train ${e.point.trainLoss?.toFixed(4)} val ${e.point.valLoss.toFixed(4)}${ema}\n`);
          }
        },
      });
      if (result.reason === 'completed') (bar as ProgressBar | null)?.finish();
      else process.stderr.write('\n');
      const line = `${result.reason === 'cancelled' ? 'stopped' : 'finished'} at step ${result.step}, loss ${result.lastLoss.toFixed(4)}, backend ${result.backend}, run ${result.runDir}`;
      process.stdout.write(args.options.json ? `${JSON.stringify(result)}\n` : `${line}\n`);
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  },
};
