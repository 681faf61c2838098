/**
 * Models: runs that have a checkpoint, models imported into the workspace, and starter
 * models shipped in resources/models/*. A model id names one of them; a path works too.
 * Used by: node/service/models.ts, worker/jobs/{sample,edit}.ts, cli sample / edit.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelSummary } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { workspaceLayout } from '../workspace';
import { samplingSchema, type SamplingDto } from '../../shared/schemas';
import { peekCheckpointState } from './checkpoint';
import { resourcesDir } from './presets';
import { readRunConfig } from './store';

export interface ModelLocation {
  modelId: string;
  dir: string;
  source: ModelSummary['source'];
}

async function subdirs(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(root, e.name)).sort();
}

/** Where the starter models shipped with the app live (resources/models). */
export function starterModelsDir(): string {
  return join(resourcesDir(), 'models');
}

export async function modelLocations(workspace: string, starterRoot: string = starterModelsDir()): Promise<ModelLocation[]> {
  const layout = workspaceLayout(workspace);
  const out: ModelLocation[] = [];
  for (const [root, source] of [[layout.runs, 'run'], [layout.models, 'imported'], [starterRoot, 'starter']] as const) {
    for (const dir of await subdirs(root)) out.push({ modelId: basename(dir), dir, source });
  }
  return out;
}

/** A model id (run, imported, starter) or a folder path -> its folder; NOT_FOUND otherwise. */
export async function resolveModelDir(workspace: string, idOrPath: string): Promise<string> {
  if (idOrPath.includes('/') || idOrPath.includes('\\') || idOrPath.startsWith('.')) {
    if (await fs.stat(idOrPath).then((s) => s.isDirectory(), () => false)) return idOrPath;
    throw new StudioError('NOT_FOUND', `no model folder at ${idOrPath}`);
  }
  const found = (await modelLocations(workspace)).find((m) => m.modelId === idOrPath);
  if (found) return found.dir;
  if (await fs.stat(idOrPath).then((s) => s.isDirectory(), () => false)) return idOrPath;
  throw new StudioError('NOT_FOUND', `no model "${idOrPath}" (runs, imported or starter models)`);
}

/** The folder's eval-report.json when it has a readable one. */
async function readEvalReport(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(join(dir, 'eval-report.json'), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The sampling settings config.json recommends for the model folder, or undefined when it
 * names none; a malformed entry is an error naming the file (never silently replaced).
 */
export async function recommendedSampling(dir: string): Promise<SamplingDto | undefined> {
  const config = await readRunConfig(dir);
  if (config?.sampling === undefined) return undefined;
  const parsed = samplingSchema.safeParse(config.sampling);
  if (!parsed.success) throw new StudioError('BAD_FILE', `${join(dir, 'config.json')}: "sampling" is not valid sampling settings (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  return parsed.data;
}

export async function modelSummary(location: ModelLocation): Promise<ModelSummary | undefined> {
  const state = await peekCheckpointState(location.dir);
  if (!state) return undefined;
  const evalReport = await readEvalReport(location.dir);
  const sampling = await recommendedSampling(location.dir).catch(() => undefined); // a listing still shows the model; the CLI names the error
  return {
    modelId: location.modelId,
    source: location.source,
    datasetId: state.datasetId,
    classes: state.classes,
    tokenizer: state.tokenizer,
    width: state.geometry.width,
    height: state.geometry.height,
    size: state.geometry.size,
    params: state.params,
    step: state.step,
    classDropout: state.train.classDropout ?? 0,
    ...(evalReport === undefined ? {} : { evalReport }),
    ...(sampling === undefined ? {} : { sampling }),
  };
}
