/** Entry point of the headless CLI: `npm run cli -- <command> [options]`. */
import { commands } from './commands/index';
import { runFromRegistry } from './dispatch';

runFromRegistry('wavelet-studio', commands, process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`wavelet-studio: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
