/** The registry of benchmarks (`npm run bench -- <name> --json`): one line per benchmark. */
import type { CliCommand } from '../command';

export const benchmarks: Record<string, () => Promise<CliCommand>> = {
  tokenize: async () => (await import('./tokenize')).command,
  train: async () => (await import('./train')).command,
  sample: async () => (await import('./sample')).command,
};
