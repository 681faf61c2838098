/**
 * A small, strict argument parser for the CLI: `--key value`, `--key=value`, `--flag`,
 * `--no-flag`, positionals. Unknown options are errors, so typos never pass silently.
 * Used by: every command in src/cli/commands and src/cli/bench.
 */
import { StudioError } from '../shared/result';

export type OptionType = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  type: OptionType;
  description: string;
  default?: string | number | boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  options: Record<string, string | number | boolean | undefined>;
  positionals: string[];
}

function convert(name: string, spec: OptionSpec, raw: string): string | number | boolean {
  if (spec.type === 'string') return raw;
  if (spec.type === 'number') {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new StudioError('BAD_REQUEST', `--${name} expects a number, got "${raw}"`);
    return value;
  }
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new StudioError('BAD_REQUEST', `--${name} expects true or false, got "${raw}"`);
}

/** Parses argv against the specs; defaults fill in what is absent. */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let inline: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (!(name in specs) && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      inline = 'false';
    }
    const spec = specs[name];
    if (!spec) throw new StudioError('BAD_REQUEST', `unknown option --${name} (see --help)`);
    if (spec.type === 'boolean' && inline === undefined) {
      options[name] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new StudioError('BAD_REQUEST', `--${name} needs a value`);
    options[name] = convert(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (options[name] === undefined && spec.default !== undefined) options[name] = spec.default;
  }
  return { options, positionals };
}

/** One line per option, for --help. */
export function formatOptions(specs: OptionSpecs): string {
  return Object.entries(specs)
    .map(([name, spec]) => {
      const def = spec.default === undefined ? '' : ` (default ${String(spec.default)})`;
      const value = spec.type === 'boolean' ? '' : ` <${spec.type}>`;
      return `  --${name}${value}`.padEnd(30) + spec.description + def;
    })
    .join('\n');
}

export function requireString(args: ParsedArgs, name: string): string {
  const value = args.options[name];
  if (typeof value !== 'string' || value === '') throw new StudioError('BAD_REQUEST', `--${name} is required`);
  return value;
}
