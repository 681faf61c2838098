/**
 * The shape of a CLI command. Commands parse their own options with args.ts, print
 * results on stdout (with --json: one JSON object as the last line) and progress on stderr.
 * Used by: src/cli/main.ts, src/cli/bench.ts and every command.
 */
import type { OptionSpecs } from './args';

export interface CliCommand {
  summary: string;
  options: OptionSpecs;
  run(argv: string[]): Promise<void>;
}
