/** Entry point of the Electron main process (bundled to out/main/index.js); see app.ts. */
import { runApp } from './app';

runApp().catch((e: unknown) => {
  process.stderr.write(`Wavelet Studio failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
