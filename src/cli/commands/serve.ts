/**
 * `serve`: the studio in the browser. Starts the loopback server (see node/server), prints
 * the URL with its session token, opens the browser unless --no-open, and shuts down
 * cleanly on Ctrl+C / SIGTERM (running jobs are cancelled).
 * Used by: cli/commands/index.ts, scripts/serve.mjs, scripts/start.mjs.
 */
import { parseArgs, type OptionSpecs } from '../args';
import type { CliCommand } from '../command';
import { StudioError } from '../../shared/result';
import { openInBrowser, startBrowserMode } from '../../node/server/index';
import { resolveWorkspace } from '../../node/workspace';

const options: OptionSpecs = {
  port: { type: 'number', description: 'port on 127.0.0.1 (0 picks a free one)', default: 0 },
  workspace: { type: 'string', description: 'data folder (default: WAVELET_STUDIO_HOME or the OS data folder)' },
  open: { type: 'boolean', description: 'open the browser (--no-open to skip)', default: true },
};

async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv, options);
  const port = args.options.port as number;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StudioError('BAD_REQUEST', `--port must be 0..65535, got ${port}`);
  const workspace = resolveWorkspace(args.options.workspace as string | undefined);
  const mode = await startBrowserMode({ workspace, port }).catch((e: unknown) => {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StudioError('CONFLICT', `port ${port} is already in use; try --port 0`);
    throw e;
  });
  process.stdout.write(`Wavelet Studio at ${mode.server.url}\n`);
  process.stderr.write(`workspace: ${workspace}\npress Ctrl+C to stop\n`);
  if (args.options.open === true) openInBrowser(mode.server.url);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.stderr.write('stopping: cancelling jobs...\n');
      void mode.shutdown().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const command: CliCommand = { summary: 'serve the studio to a browser on 127.0.0.1', options, run };
