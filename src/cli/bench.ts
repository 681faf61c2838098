/** Entry point of the benchmarks: `npm run bench -- <name> [options] --json`. */
import { benchmarks } from './bench/index';
import { runFromRegistry } from './dispatch';

runFromRegistry('wavelet-studio bench', benchmarks, process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`wavelet-studio bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
