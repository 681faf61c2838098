/**
 * The options every sampling command shares (seed, temperature, top-k, top-p, guidance and
 * its guided planes, backend, workspace) and their reader: the backend name checked, the sampling settings validated
 * with the API's schema, so the CLI and the studio accept the same values. Settings not
 * given on the command line come from the model's recommended sampling (config.json of a
 * starter model), else temperature 1 without filtering.
 * openSamplingModel() then selects the backend and loads --model's weights.
 * Used by: cli/commands/sample.ts, cli/commands/edit.ts.
 */
import { requireString, type OptionSpecs, type ParsedArgs } from './args';
import { isBackendName, selectBackend } from '../node/backend';
import { loadModel, type LoadedModel } from '../node/runs/model-io';
import { recommendedSampling, resolveModelDir } from '../node/runs/models';
import { resolveWorkspace } from '../node/workspace';
import type { BackendName } from '../shared/dto';
import { StudioError } from '../shared/result';
import { samplingSchema, type SamplingDto } from '../shared/schemas';
import { describeIssues } from '../shared/validation';

export const SAMPLING_OPTIONS = {
  seed: { type: 'number', description: 'seed (same seed + model + backend = same images)', default: 0 },
  temperature: { type: 'number', description: "0 = greedy (default: the model's recommended setting, else 1)" },
  'top-k': { type: 'number', description: "0 = off (default: the model's recommended setting, else 0)" },
  'top-p': { type: 'number', description: "1 = off (default: the model's recommended setting, else 1)" },
  guidance: { type: 'number', description: "classifier-free guidance scale, 1 = off, for models trained with class dropout (default: the model's recommended setting, else 1)" },
  'guidance-planes': { type: 'number', description: "guide only the first n bit-planes (the coarse image), 0 = every plane (default: the model's recommended setting, else 0)" },
  backend: { type: 'string', description: 'auto | tensorflow-gpu | tensorflow | wasm | cpu', default: 'auto' },
  workspace: { type: 'string', description: 'workspace folder (for model ids)' },
} as const satisfies OptionSpecs;

export interface SamplingArgs {
  seed: number;
  sampling: SamplingDto;
  backend: BackendName | 'auto';
  /** Resolved workspace root (flag, environment or the default data folder). */
  workspace: string;
  /** Which settings were not given and came from the model's recommendation. */
  recommended: (keyof SamplingDto)[];
}

/**
 * Reads the shared sampling options from parsed arguments; settings left out take
 * `recommended`'s value when given, else the schema's default. Bad values are BAD_REQUEST.
 */
export function readSamplingOptions(o: ParsedArgs['options'], recommended?: SamplingDto): SamplingArgs {
  const backend = String(o.backend);
  if (!isBackendName(backend)) throw new StudioError('BAD_REQUEST', `unknown backend "${backend}"`);
  const given: Partial<Record<keyof SamplingDto, unknown>> = { temperature: o.temperature, topK: o['top-k'], topP: o['top-p'], guidance: o.guidance, guidancePlanes: o['guidance-planes'] };
  const keys = ['temperature', 'topK', 'topP', 'guidance', 'guidancePlanes'] as const;
  const sampling = samplingSchema.safeParse(Object.fromEntries(keys.map((k) => [k, given[k] ?? recommended?.[k]])));
  if (!sampling.success) throw new StudioError('BAD_REQUEST', `sampling: ${describeIssues(sampling.error.issues)}`);
  // without guidance an interval means nothing: it is neither used, recorded nor announced
  if (sampling.data.guidance === 1) delete sampling.data.guidancePlanes;
  const fromModel = recommended ? keys.filter((k) => given[k] === undefined && recommended[k] !== undefined && sampling.data[k] !== undefined) : [];
  return { seed: Number(o.seed), sampling: sampling.data, backend, workspace: resolveWorkspace(o.workspace as string | undefined), recommended: fromModel };
}

/** One line for stderr naming the settings that came from the model, or '' when none did. */
export function describeRecommended(args: SamplingArgs): string {
  if (args.recommended.length === 0) return '';
  const flag = { temperature: '--temperature', topK: '--top-k', topP: '--top-p', guidance: '--guidance', guidancePlanes: '--guidance-planes' } as const;
  return `sampling with the model's recommended ${args.recommended.map((k) => `${flag[k]} ${args.sampling[k]}`).join(' ')} (give the flag to change it)\n`;
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
  readSamplingOptions(args.options); // bad flags fail before any file is read
  const dir = await resolveModelDir(resolveWorkspace(args.options.workspace as string | undefined), requireString(args, 'model'));
  const options = readSamplingOptions(args.options, await recommendedSampling(dir));
  const { name: backend } = await selectBackend(options.backend);
  process.stderr.write(describeRecommended(options));
  const loaded = await loadModel(dir);
  process.stderr.write(guidanceWarning(options.sampling.guidance, loaded.state.train.classDropout));
  return { ...loaded, options, backend, dir };
}

/** A line for stderr when guidance is asked of a model that never learned the empty class, else ''. */
export function guidanceWarning(guidance: number, classDropout: number | undefined): string {
  if (guidance === 1 || (classDropout ?? 0) > 0) return '';
  return `warning: --guidance ${guidance} on a model trained without class dropout: its unconditional logits are untrained, so guided samples may be poor\n`;
}
