/**
 * `export`: packs a model folder (a run directory or an imported model) into one
 * model package file (zip with manifest.json; see node/models/package.ts).
 * Used by: the CLI registry (src/cli/commands/index.ts).
 */
import { resolve } from 'node:path';
import { parseArgs, requireString } from '../args';
import type { CliCommand } from '../command';
import { exportModelPackage } from '../../node/models/package';
import { resolveModelDir } from '../../node/runs/models';
import { resolveWorkspace } from '../../node/workspace';

const options = {
  model: { type: 'string', description: 'model folder (run, imported or starter) or a model id' },
  out: { type: 'string', description: 'package file to write (e.g. digits.wsmodel)' },
  json: { type: 'boolean', description: 'print one JSON line with the result' },
  workspace: { type: 'string', description: 'workspace folder (for model ids)' },
} as const;

export const command: CliCommand = {
  summary: 'pack a trained model into one portable file',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const model = resolve(await resolveModelDir(resolveWorkspace(args.options.workspace as string | undefined), requireString(args, 'model')));
    const out = resolve(requireString(args, 'out'));
    const result = await exportModelPackage(model, out);
    process.stdout.write(`exported ${model} -> ${out} (${result.manifest.files.length} files, ${result.bytes} bytes)\n`);
    if (args.options.json) process.stdout.write(`${JSON.stringify({ path: out, bytes: result.bytes, files: result.manifest.files.length })}\n`);
  },
};
