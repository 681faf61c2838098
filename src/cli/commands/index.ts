/** The registry of CLI commands (`npm run cli -- <name>`): one line per command. */
import type { CliCommand } from '../command';

export const commands: Record<string, () => Promise<CliCommand>> = {
  serve: async () => (await import('./serve')).command,
  judge: async () => (await import('./judge')).command,
  export: async () => (await import('./export')).command,
  'import-model': async () => (await import('./import-model')).command,
  tokenize: async () => (await import('./tokenize')).command,
  import: async () => (await import('./import')).command,
  datasets: async () => (await import('./datasets')).command,
  eval: async () => (await import('./eval')).command,
  train: async () => (await import('./train')).command,
  sample: async () => (await import('./sample')).command,
  edit: async () => (await import('./edit')).command,
  'package-starter': async () => (await import('./package-starter')).command,
};
