/**
 * Saving and loading judges in the TensorFlow.js layout: model.json (topology + weights
 * manifest), weights.bin, and judge.json (dataset, classes, test accuracy, training
 * command, seed, and a sha256 over model.json + weights.bin that loading verifies).
 * Used by: cli judge, node/eval/run-eval.ts, worker/jobs/eval.ts, tests.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { JudgeConfig } from '../../core/eval/judge';
import { StudioError } from '../../shared/result';
import { atomicWriteFile } from '../workspace';
import { resourcesDir } from '../runs/presets';

export const JUDGE_SCHEMA_VERSION = 1;

export interface JudgeMeta {
  schemaVersion: number;
  datasetId: string;
  classes: string[];
  config: JudgeConfig;
  testAccuracy: number;
  testCount: number;
  trainCount: number;
  epochs: number;
  seed: number;
  command: string;
  /** sha256 (hex) of model.json bytes followed by weights.bin bytes. */
  contentHash: string;
  trainedAt: string;
}

export interface LoadedJudge {
  model: tf.LayersModel;
  meta: JudgeMeta;
}

/** resources/judges/<datasetId> of this installation. */
export function shippedJudgeDir(datasetId: string): string {
  return join(resourcesDir(), 'judges', datasetId);
}

export function judgeContentHash(modelJson: Uint8Array, weights: Uint8Array): string {
  return createHash('sha256').update(modelJson).update(weights).digest('hex');
}

/** Writes model.json, weights.bin and judge.json (contentHash filled in here). */
export async function saveJudge(model: tf.LayersModel, dir: string, meta: Omit<JudgeMeta, 'contentHash' | 'schemaVersion'>): Promise<JudgeMeta> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new StudioError('INTERNAL', 'the judge produced no weights to save');
  const weightData = artifacts.weightData;
  const weights = new Uint8Array(Array.isArray(weightData) ? tf.io.concatenateArrayBuffers(weightData) : weightData);
  const modelJson = new TextEncoder().encode(JSON.stringify({
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  }));
  const full: JudgeMeta = { schemaVersion: JUDGE_SCHEMA_VERSION, ...meta, contentHash: judgeContentHash(modelJson, weights) };
  await atomicWriteFile(join(dir, 'weights.bin'), weights);
  await atomicWriteFile(join(dir, 'model.json'), modelJson);
  await atomicWriteFile(join(dir, 'judge.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

async function readOrFail(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch {
    throw new StudioError('NOT_FOUND', `judge file missing: ${path} (train one with "npm run cli -- judge")`);
  }
}

/** Loads a judge and checks its content hash; BAD_FILE when the files do not match judge.json. */
export async function loadJudge(dir: string): Promise<LoadedJudge> {
  const [modelBytes, weights, metaBytes] = await Promise.all(
    ['model.json', 'weights.bin', 'judge.json'].map((f) => readOrFail(join(dir, f))),
  );
  let meta: JudgeMeta;
  let modelJson: { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    meta = JSON.parse(new TextDecoder().decode(metaBytes)) as JudgeMeta;
    modelJson = JSON.parse(new TextDecoder().decode(modelBytes)) as typeof modelJson;
  } catch (e) {
    throw new StudioError('BAD_FILE', `judge in ${dir}: unreadable JSON (${(e as Error).message})`);
  }
  if (meta.schemaVersion !== JUDGE_SCHEMA_VERSION) throw new StudioError('BAD_FILE', `judge in ${dir}: schema version ${String(meta.schemaVersion)} is not ${JUDGE_SCHEMA_VERSION}`);
  const hash = judgeContentHash(modelBytes, weights);
  if (hash !== meta.contentHash) throw new StudioError('BAD_FILE', `judge in ${dir}: content hash ${hash.slice(0, 12)}… does not match judge.json`);
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: buffer }));
  return { model, meta };
}
