/**
 * `import`: stores a dataset in the workspace from IDX files (raw or gzipped), an image
 * folder (one subfolder per class), NumPy .npy / .npz, or a CSV `path,label` list; runs the
 * 'import' job in-process with a progress bar. Used by: the CLI registry.
 */
import { resolve } from 'node:path';
import { parseArgs, requireString, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { createProgressBar, type ProgressBar } from '../progress';
import type { DatasetSummary } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { runJobInProcess } from '../../node/jobs/in-process';
import { ensureWorkspace, resolveWorkspace } from '../../node/workspace';

const options = {
  kind: { type: 'string', description: 'idx, folder, npy or csv' },
  name: { type: 'string', description: 'dataset name (its id is derived from it)' },
  images: { type: 'string', description: 'idx / npy: the image file (.npz: images and labels inside)' },
  labels: { type: 'string', description: 'idx / npy: the label file' },
  'test-images': { type: 'string', description: 'idx: test image file (optional)' },
  'test-labels': { type: 'string', description: 'idx: test label file (optional)' },
  path: { type: 'string', description: 'folder: the folder of class folders; csv: the CSV file' },
  'max-size': { type: 'number', description: 'folder / csv: largest image side allowed', default: 256 },
  resize: { type: 'boolean', description: 'folder / csv: shrink large images and stretch others to the first image\'s size' },
  'test-fraction': { type: 'number', description: 'share of each class put in the test split when the source has none', default: 0.1 },
  workspace: { type: 'string', description: 'workspace folder (default: WAVELET_STUDIO_HOME or the per-user data folder)' },
  json: { type: 'boolean', description: 'print one JSON object with the result as the last line' },
} as const;

const path = (args: ParsedArgs, name: string): string => resolve(requireString(args, name));
const optionalPath = (args: ParsedArgs, name: string): string | undefined =>
  typeof args.options[name] === 'string' ? resolve(args.options[name] as string) : undefined;

function sourceOf(args: ParsedArgs): Record<string, unknown> {
  const kind = requireString(args, 'kind');
  const sized = { maxSize: args.options['max-size'], resize: Boolean(args.options.resize) };
  if (kind === 'idx') {
    return { kind, images: path(args, 'images'), labels: path(args, 'labels'), testImages: optionalPath(args, 'test-images'), testLabels: optionalPath(args, 'test-labels') };
  }
  if (kind === 'npy') return { kind, images: path(args, 'images'), labels: optionalPath(args, 'labels') };
  if (kind === 'folder' || kind === 'csv') return { kind, path: path(args, 'path'), ...sized };
  throw new StudioError('BAD_REQUEST', `--kind must be idx, folder, npy or csv, got "${kind}"`);
}

export const command: CliCommand = {
  summary: 'import a dataset (IDX, image folder, NumPy or CSV) into the workspace',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const source = Object.fromEntries(Object.entries(sourceOf(args)).filter(([, v]) => v !== undefined));
    const request = { name: requireString(args, 'name'), source, testFraction: args.options['test-fraction'] };
    const workspace = resolveWorkspace(typeof args.options.workspace === 'string' ? args.options.workspace : undefined);
    await ensureWorkspace(workspace);
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    let bar: ProgressBar | undefined;
    const started = performance.now();
    try {
      const result = (await runJobInProcess('import', request, {
        workspace,
        signal: abort.signal,
        onEvent: (event) => {
          if (event.type !== 'progress') return;
          bar ??= createProgressBar(`import ${request.name}`, event.total);
          bar.update(event.done, event.message);
        },
      })) as DatasetSummary;
      bar?.finish();
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`imported "${result.name}" as ${result.id}: ${result.counts.train} train + ${result.counts.test} test images of ` +
        `${result.width} x ${result.height}, ${result.classes.length} classes (${result.classes.slice(0, 12).join(', ')}${result.classes.length > 12 ? ', ...' : ''}) in ${seconds.toFixed(2)} s\n`);
      for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
      if (args.options.json) process.stdout.write(`${JSON.stringify({ ...result, seconds: Number(seconds.toFixed(3)) })}\n`);
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
