/**
 * `import-model F`: checks a model package and unpacks it into workspace/models/<id>.
 * A damaged or foreign file is refused (BAD_FILE) and leaves nothing behind.
 * Used by: the CLI registry (src/cli/commands/index.ts).
 */
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { importModelPackage } from '../../node/models/package';
import { resolveWorkspace } from '../../node/workspace';
import { StudioError } from '../../shared/result';

const options = {
  workspace: { type: 'string', description: 'workspace root (default: WAVELET_STUDIO_HOME or the OS data folder)' },
  json: { type: 'boolean', description: 'print one JSON line with the result' },
} as const;

export const command: CliCommand = {
  summary: 'import a model package file into the workspace',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    if (args.positionals.length !== 1) throw new StudioError('BAD_REQUEST', 'usage: import-model <file> [--workspace W]');
    const file = resolve(args.positionals[0]);
    const workspace = resolveWorkspace(typeof args.options.workspace === 'string' ? args.options.workspace : undefined);
    const imported = await importModelPackage(file, workspace);
    process.stdout.write(`imported ${file} as model "${imported.modelId}" -> ${imported.dir}\n`);
    if (args.options.json) process.stdout.write(`${JSON.stringify({ modelId: imported.modelId, dir: imported.dir, files: imported.manifest.files.length })}\n`);
  },
};
