/**
 * The options every sampling command shares (seed, temperature, top-k, top-p, backend,
 * workspace) and their reader: the backend name checked, the sampling settings validated
 * with the API's schema, so the CLI and the studio accept the same values.
 * openSamplingModel() then selects the backend and loads --model's weights.
 * Used by: cli/commands/sample.ts, cli/commands/edit.ts.
 */
import { requireString, type OptionSpecs, type ParsedArgs } from './args';
import { isBackendName, selectBackend } from '../node/backend';
import { loadModel, type LoadedModel } from '../node/runs/model-io';
import { resolveModelDir } from '../node/runs/models';
import { resolveWorkspace } from '../node/workspace';
import type { BackendName } from '../shared/dto';
import { StudioError } from '../shared/result';
import { samplingSchema, type SamplingDto } from '../shared/schemas';
import { describeIssues } from '../shared/validation';

export const SAMPLING_OPTIONS = {
  seed: { type: 'number', description: 'seed (same seed + model + backend = same images)', default: 0 },
  temperature: { type: 'number', description: '0 = greedy', default: 1 },
  'top-k': { type: 'number', description: '0 = off', default: 0 },
  'top-p': { type: 'number', description: '1 = off', default: 1 },
  backend: { type: 'string', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu', default: 'auto' },
  workspace: { type: 'string', description: 'workspace folder (for model ids)' },
} as const satisfies OptionSpecs;

export interface SamplingArgs {
  seed: number;
  sampling: SamplingDto;
  backend: BackendName | 'auto';
  /** Resolved workspace root (flag, environment or the default data folder). */
  workspace: string;
}

/** Reads the shared sampling options from parsed arguments; bad values are BAD_REQUEST. */
export function readSamplingOptions(o: ParsedArgs['options']): SamplingArgs {
  const backend = String(o.backend);
  if (!isBackendName(backend)) throw new StudioError('BAD_REQUEST', `unknown backend "${backend}"`);
  const sampling = samplingSchema.safeParse({ temperature: o.temperature, topK: o['top-k'], topP: o['top-p'] });
  if (!sampling.success) throw new StudioError('BAD_REQUEST', `sampling: ${describeIssues(sampling.error.issues)}`);
  return { seed: Number(o.seed), sampling: sampling.data, backend, workspace: resolveWorkspace(o.workspace as string | undefined) };
}

export interface SamplingModel extends LoadedModel {
  options: SamplingArgs;
  /** The backend actually selected (auto resolved). */
  backend: BackendName;
  /** The model folder --model resolved to. */
  dir: string;
}

/** Reads the shared options, selects the backend and loads --model; the caller disposes the model. */
export async function openSamplingModel(args: ParsedArgs): Promise<SamplingModel> {
  const options = readSamplingOptions(args.options);
  const { name: backend } = await selectBackend(options.backend);
  const dir = await resolveModelDir(options.workspace, requireString(args, 'model'));
  return { ...(await loadModel(dir)), options, backend, dir };
}
