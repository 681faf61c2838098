/**
 * Evaluates the model in a folder and writes D/eval-report.json atomically: the one
 * entry point shared by the CLI and the eval job. Also resolves a model id of the
 * workspace to its folder (models/<id>, else runs/<id>).
 * Used by: cli eval, worker/jobs/eval.ts.
 */
import { join } from 'node:path';
import type { EvalReport } from '../../core/eval/report';
import { atomicWriteFile } from '../workspace';
import { ensureEvalBackend } from './backend';
import { openModelForEval, type OpenedModel } from './engine-model';
import { evaluateModel, type EvalOptions } from './run-eval';

export const EVAL_REPORT_FILE = 'eval-report.json';

/** `open` is injectable for tests; the default loads the engine's checkpoint. */
export async function evaluateModelDir(
  dir: string,
  options: EvalOptions,
  open: (dir: string, signal?: AbortSignal, sampling?: EvalOptions['sampling']) => Promise<OpenedModel> = openModelForEval,
): Promise<EvalReport> {
  await ensureEvalBackend();
  const opened = await open(dir, options.signal, options.sampling);
  try {
    const report = await evaluateModel(opened.model, options);
    await atomicWriteFile(join(dir, EVAL_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    opened.dispose();
  }
}
