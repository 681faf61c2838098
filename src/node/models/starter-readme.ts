/**
 * README.md of a starter model folder: what the model is, how it was trained and the exact
 * commands that reproduce the training run, the folder and its sample grid. The training
 * command is rebuilt from the saved configs: every value that differs from the preset
 * becomes a `--set` override, so the command resolves to the very same configs.
 * Used by: node/models/starter.ts.
 */
import { basename } from 'node:path';
import { DEFAULT_TOKENIZER_CONFIG } from '../../core/language';
import { describeGuidance, type SamplingSettings } from '../../core/sample/choose';
import type { CheckpointState } from '../runs/checkpoint';
import { loadPreset, resolveConfigs } from '../runs/presets';
import type { RunConfigFile } from '../runs/store';

export interface ReadmeInput {
  id: string;
  state: CheckpointState;
  config: RunConfigFile | undefined;
  perClass: number;
  seed: number;
  hasEval: boolean;
  /** The sample and test-sentence counts of the shipped eval report, which the eval command repeats. */
  evalCounts?: { samples: number; bitsImages: number };
  command?: string;
  /** How the commands name the folder (default resources/models/<id>, where starters ship). */
  modelPath?: string;
  /** The recommended sampling settings recorded in config.json, if any. */
  sampling?: SamplingSettings;
  /** The runs this one started from (train --init-from), nearest first. */
  sources?: SourceRun[];
}

/** A run whose weights started the packaged run (directly or through other runs). */
export interface SourceRun {
  path: string;
  /** The step whose weights were taken. */
  step: number;
  /** Its checkpoint state; `emaUpdates` is set when the run kept a weight average, which is what a new run starts from. */
  state: CheckpointState;
  config: RunConfigFile | undefined;
}

/** `key=value` for every entry of `actual` that differs from `base` (keys in `skip` left out). */
function differences(prefix: string, actual: object, base: object, skip: readonly string[]): string[] {
  const b = base as Record<string, unknown>;
  return Object.entries(actual)
    .filter(([key, value]) => !skip.includes(key) && b[key] !== value)
    .map(([key, value]) => `${prefix}.${key}=${String(value)}`);
}

/** The `train` command line that resolves to the checkpoint's configs (null when the preset is unknown). */
export function trainCommand(state: CheckpointState, config: RunConfigFile | undefined, runDir = 'runs/<run>', initFrom?: string): string | null {
  const preset = config?.preset;
  if (!preset) return null;
  const seed = config?.seed ?? state.model.seed;
  let base;
  try {
    base = resolveConfigs(loadPreset(preset), {}, state.classes.length, seed);
  } catch {
    return null;
  }
  const sets = [
    ...differences('model', state.model, base.model, []),
    ...differences('train', state.train, base.train, ['steps']),
  ];
  const parts = [
    'npx tsx src/cli/main.ts train', `--dataset ${state.datasetId}`, `--preset ${preset}`,
    `--wavelet ${state.tokenizer.wavelet}`, `--final-exponent ${state.tokenizer.finalExponent}`,
    `--steps ${state.train.steps}`, `--seed ${seed}`,
    ...(sets.length > 0 ? [`--set ${sets.join(',')}`] : []), ...(initFrom ? [`--init-from ${initFrom}`] : []), `--run-dir ${runDir}`,
  ];
  return parts.join(' ');
}

/** What a run was trained with, for a comment line: '' for the studio's own trainer. */
function trainerNote(config: RunConfigFile | undefined): string {
  const w = config?.trainedWith;
  return w ? `; trained${w.device ? ` on ${w.device}` : ''} by ${w.trainer}` : '';
}

/**
 * The commands that make a run: the ones recorded for a run trained outside the studio's
 * trainer, else the `train` command rebuilt from its configs (empty when it cannot be).
 */
function runCommands(state: CheckpointState, config: RunConfigFile | undefined, runDir: string, initFrom?: string): string[] {
  if (config?.trainedWith) return [...config.trainedWith.commands];
  const command = trainCommand(state, config, runDir, initFrom);
  return command ? [command] : [];
}

export function starterReadme(input: ReadmeInput): string {
  const { id, state, config, perClass, seed } = input;
  const g = state.geometry;
  const finished = state.step >= state.train.steps;
  const sources = [...(input.sources ?? [])].reverse(); // the first run first
  const runName = (s: SourceRun): string => `runs/${basename(s.path)}`;
  const taken = (s: SourceRun): string => (s.state.emaUpdates !== undefined ? 'weight average' : 'weights');
  const train = runCommands(state, config, 'runs/<run>', sources.length > 0 ? runName(sources[sources.length - 1]) : undefined);
  const sourceSteps = sources.map((s, i) => {
    const commands = runCommands(s.state, s.config, runName(s), i > 0 ? runName(sources[i - 1]) : undefined);
    const language = `${s.state.tokenizer.wavelet} Tf 2^${s.state.tokenizer.finalExponent}`;
    return [`# 1${String.fromCharCode(97 + i)}. the run it starts from (${language}, its ${taken(s)} at step ${s.step}${trainerNote(s.config)})`, ...(commands.length > 0 ? commands : [`# (configs in ${s.path}/config.json)`])];
  }).flat();
  const recommended = input.sampling;
  const variantNote = state.tokenizer.variant === DEFAULT_TOKENIZER_CONFIG.variant ? '' : ` (variant ${state.tokenizer.variant}: not settable from the train command)`;
  const lines = [
    `# ${id}`,
    '',
    `A Wavelet Studio starter model: a wavelet-language transformer trained on **${state.datasetId}**`,
    `(${state.classes.length} classes: ${state.classes.join(', ')}), ${g.width}x${g.height} images.`,
    '',
    `- parameters: ${state.params.toLocaleString('en-US')} (${state.model.layers} layers, width ${state.model.width}, ${state.model.heads} heads, context ${state.model.context})`,
    `- tokenizer: ${state.tokenizer.wavelet}, final exponent ${state.tokenizer.finalExponent}${variantNote}`,
    `- checkpoint: step ${state.step} of ${state.train.steps}${finished ? '' : ' (packaged before the run finished)'}, ${Math.round(state.wallSec / 60)} min of training${config?.trainedWith ? ` (${trainerNote(config).slice(2)})` : ''}`,
    ...(state.train.emaDecay > 0 ? [`- weights: the exponential moving average of the trained weights (train.emaDecay ${state.train.emaDecay})`] : []),
    ...(input.sources?.length ? [`- started from: ${input.sources.map((x) => `the ${taken(x)} of ${basename(x.path)} (step ${x.step}, ${x.state.tokenizer.wavelet} Tf 2^${x.state.tokenizer.finalExponent})`).join(', which started from ')}`] : []),
    ...(recommended ? [`- recommended sampling: temperature ${recommended.temperature}, top-k ${recommended.topK || 'off'}, top-p ${recommended.topP < 1 ? recommended.topP : 'off'}${(recommended.guidance ?? 1) !== 1 ? `, guidance ${describeGuidance(recommended)}` : ''} (config.json; the Sampler, sample, edit and eval use it unless told otherwise)`] : []),
    `- eval report: ${input.hasEval ? 'eval-report.json' : 'none yet (run the eval command below)'}`,
    '',
    '## Files',
    '',
    '- `checkpoint/`: weights (TensorFlow.js manifest + binary) and state.json (configs, class names,',
    '  start-exponent histograms); no optimizer state, so this folder samples but does not resume training',
    '- `config.json`: the training run\'s configuration; `metrics.jsonl`: its loss curve',
    `- \`samples.png\`: ${perClass} samples of every class (one row per class), \`samples.json\`: their seeds and sentences`,
    '',
    '## Reproduce',
    '',
    '```sh',
    ...sourceSteps,
    ...(train.length > 0
      ? [`# 1${sources.length > 0 ? String.fromCharCode(97 + sources.length) : ''}. train (${config?.trainedWith ? `as recorded in config.json${trainerNote(config)}` : 'same configs; stop at the step above or let it finish'})`, ...train]
      : ['# the training configs are in config.json and checkpoint/state.json']),
    '# 2. build this folder from the run',
    input.command ?? `npx tsx src/cli/main.ts package-starter --run-dir runs/<run> --id ${id} --per-class ${perClass} --seed ${seed}`,
    '# the sample grid again, as PNG files',
    `npx tsx src/cli/main.ts sample --model ${input.modelPath ?? `resources/models/${id}`} --per-class ${perClass} --seed ${seed} --out out/${id}`,
    `# evaluate (writes eval-report.json here${input.evalCounts ? '; the counts of the shipped report' : ''})`,
    `npx tsx src/cli/main.ts eval --model ${input.modelPath ?? `resources/models/${id}`}${input.evalCounts ? ` --samples ${input.evalCounts.samples} --bits-images ${input.evalCounts.bitsImages}` : ''}`,
    '```',
    '',
  ];
  return lines.join('\n');
}
