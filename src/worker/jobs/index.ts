/**
 * The job registry: job kind -> lazy import of its module (each module exports
 * `handler: JobHandler`). Lazy, so a sampling job never loads the training code and a
 * missing or broken module fails only the jobs of its kind, as a clean UNAVAILABLE error.
 * Used by: worker/host.ts (child process), node/jobs/in-process.ts (CLI).
 */
import type { JobKind } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import type { JobHandler } from '../job-types';

export type JobModuleLoader = () => Promise<{ handler?: JobHandler }>;

export const jobModules: Record<JobKind, JobModuleLoader> = {
  train: () => import('./train'),
  sample: () => import('./sample'),
  edit: () => import('./edit'),
  tokenize: () => import('./tokenize'),
  import: () => import('./import'),
  eval: () => import('./eval'),
};

/** Loads the handler of `kind`; throws StudioError('UNAVAILABLE') naming what failed. */
export async function loadJobHandler(
  kind: string,
  modules: Partial<Record<string, JobModuleLoader>> = jobModules,
): Promise<JobHandler> {
  const load = Object.prototype.hasOwnProperty.call(modules, kind) ? modules[kind] : undefined;
  if (!load) throw new StudioError('UNAVAILABLE', `no job of kind "${kind}" exists`);
  let loaded: { handler?: JobHandler };
  try {
    loaded = await load();
  } catch (e) {
    throw new StudioError('UNAVAILABLE', `the ${kind} job could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof loaded.handler !== 'function') {
    throw new StudioError('UNAVAILABLE', `the ${kind} job module does not export a handler`);
  }
  return loaded.handler;
}
