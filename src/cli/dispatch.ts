/**
 * Runs one command from a registry: help text, option errors as one clear line, exit codes
 * (0 ok, 1 failed, 2 usage). Used by: main.ts (commands) and bench.ts (benchmarks).
 */
import { formatOptions } from './args';
import type { CliCommand } from './command';
import { StudioError } from '../shared/result';

export async function runFromRegistry(
  program: string,
  registry: Record<string, () => Promise<CliCommand>>,
  argv: string[],
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const width = Math.max(...Object.keys(registry).map((n) => n.length)) + 2;
    const lines = await Promise.all(
      Object.entries(registry).map(async ([n, load]) => `  ${n.padEnd(width)}${(await load()).summary}`),
    );
    process.stdout.write(`usage: ${program} <command> [options]\n\ncommands:\n${lines.join('\n')}\n`);
    return name ? 0 : 2;
  }
  const load = registry[name];
  if (!load) {
    process.stderr.write(`${program}: unknown command "${name}"; try --help\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${program} ${name} [options]\n${command.summary}\n\n${formatOptions(command.options)}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = e instanceof StudioError ? e.code : 'INTERNAL';
    process.stderr.write(`${program} ${name}: ${message}\n`);
    if (code === 'INTERNAL' && process.env.WAVELET_STUDIO_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return code === 'BAD_REQUEST' ? 2 : 1;
  }
}
