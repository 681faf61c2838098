/**
 * Model + training presets (resources/presets/<name>.json) and their resolution with
 * user overrides into validated configs.
 * Used by: worker/jobs/train.ts, cli train, tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateModelConfig, type ModelConfig } from '../../core/model/config';
import { validateTrainConfig, type TrainConfig } from '../../core/train/config';
import { StudioError } from '../../shared/result';

export const PRESET_NAMES = ['tiny', 'small', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  description: string;
  model: Record<string, unknown>;
  train: Record<string, unknown>;
}

/** Overrides where resources/ is found (tests, unusual installs). */
export const RESOURCES_ENV = 'WAVELET_STUDIO_RESOURCES';

/**
 * The app's resources/ folder (presets, starter models, judges):
 * 1. WAVELET_STUDIO_RESOURCES when set;
 * 2. in the packaged app, process.resourcesPath/resources (electron-builder.yml ships
 *    resources/ there as extraResources; main and utility processes both see resourcesPath);
 * 3. otherwise the nearest ancestor of this file holding resources/presets: the repository
 *    root from source (src/node/runs) and from an electron-vite bundle (out/main[/chunks]).
 */
export function resourcesDir(): string {
  const fromEnv = process.env[RESOURCES_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'resources', 'presets'))) return join(packaged, 'resources');
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'resources', 'presets'))) return join(dir, 'resources');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(here, '..', '..', '..', 'resources');
}

export function loadPreset(name: string): Preset {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) throw new StudioError('BAD_REQUEST', `unknown preset "${name}" (presets: ${PRESET_NAMES.join(', ')})`);
  const file = resolve(resourcesDir(), 'presets', `${name}.json`);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Preset;
    return { description: String(parsed.description ?? ''), model: parsed.model ?? {}, train: parsed.train ?? {} };
  } catch (e) {
    throw new StudioError('BAD_FILE', `cannot read preset ${file}: ${(e as Error).message}`);
  }
}

/** Preset + overrides -> validated configs; numClasses follows the dataset. Errors are BAD_REQUEST. */
export function resolveConfigs(preset: Preset, overrides: { model?: Record<string, unknown>; train?: Record<string, unknown> }, numClasses: number, seed: number): { model: ModelConfig; train: TrainConfig } {
  try {
    const model = validateModelConfig({ ...preset.model, numClasses, seed, ...(overrides.model ?? {}) });
    const train = validateTrainConfig({ ...preset.train, seed, ...(overrides.train ?? {}) });
    return { model, train };
  } catch (e) {
    throw new StudioError('BAD_REQUEST', (e as Error).message);
  }
}
