/**
 * `datasets`: lists the datasets of the workspace (built-ins first) with their split
 * counts, size, classes and default tokenizer. Used by: the CLI registry.
 */
import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { listDatasets } from '../../node/datasets/catalog';
import { toSummary } from '../../node/datasets/summary';
import { ensureWorkspace, resolveWorkspace } from '../../node/workspace';

const options = {
  workspace: { type: 'string', description: 'workspace folder (default: WAVELET_STUDIO_HOME or the per-user data folder)' },
  json: { type: 'boolean', description: 'print the list as one JSON array on the last line' },
} as const;

export const command: CliCommand = {
  summary: 'list the datasets (built-in and imported) with their counts',
  options,
  async run(argv: string[]): Promise<void> {
    const args = parseArgs(argv, options);
    const workspace = resolveWorkspace(typeof args.options.workspace === 'string' ? args.options.workspace : undefined);
    await ensureWorkspace(workspace);
    const list = (await listDatasets(workspace)).map(toSummary);
    for (const d of list) {
      const t = d.defaultTokenizer;
      process.stdout.write(`${d.id.padEnd(20)} ${String(d.counts.train).padStart(7)} train ${String(d.counts.test).padStart(6)} test  ` +
        `${d.width}x${d.height}  ${d.classes.length} classes  ${t.wavelet} 2^${t.finalExponent} ${t.variant}${d.builtin ? '  (built-in)' : ''}\n`);
    }
    if (args.options.json) process.stdout.write(`${JSON.stringify(list)}\n`);
  },
};
