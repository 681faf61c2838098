/**
 * The evaluation report written next to a model (eval-report.json): what was measured,
 * on what, with which judge and seed. Versioned; parseEvalReport accepts only versions it
 * knows, so an old studio never misreads a newer report.
 * Used by: node/eval/run-eval.ts, node/models (packages carry it), cli eval, renderer (as JSON).
 */
import { describeGuidance, type SamplingSettings } from '../sample/choose';
import type { BitsResult } from './bits';
import type { ClassConsistency } from './consistency';

export const EVAL_REPORT_SCHEMA_VERSION = 1;
export const EVAL_REPORT_KIND = 'wavelet-studio-eval';

export interface FidResult {
  /** Fréchet distance of judge features: generated samples vs the test split */
  value: number;
  sampleCount: number;
  referenceCount: number;
  featureDim: number;
  /** The same distance between train and test images (same counts): the best a model can hope for. */
  floor: number;
}

/**
 * The judge's figures on real train images passed through the model's language (encoded
 * and decoded at its final threshold): the best a model of this language can reach, since
 * its samples can be no finer than that. Consistency above `accuracy` or FID below `fid`
 * cannot be had without a finer language (a smaller final threshold).
 */
export interface LanguageCeiling {
  /** The judge's accuracy on the reconstructed train images. */
  accuracy: number;
  /** FID of the reconstructed train images against the same test images as `fid`. */
  fid: number;
  count: number;
  /** Mean tokens per image of those sentences. */
  meanTokens: number;
}

export interface EvalReport {
  schemaVersion: typeof EVAL_REPORT_SCHEMA_VERSION;
  kind: typeof EVAL_REPORT_KIND;
  createdAt: string;
  model: { path: string; datasetId: string; step: number; params: number };
  judge: { datasetId: string; contentHash: string; testAccuracy: number } | null;
  samples: {
    count: number;
    seed: number;
    sampling: SamplingSettings;
    meanTokens: number;
  };
  consistency: ClassConsistency | null;
  fid: FidResult | null;
  /** Absent in reports written before it was measured. */
  ceiling?: LanguageCeiling | null;
  bits: BitsResult | null;
  timing: { backend: string; totalSec: number; secPerImage: number; tokensPerSec: number };
  /** Metrics left out and why (e.g. "fid: no judge for dataset X"). */
  notes: string[];
}

/** Reads a report from parsed JSON; throws a clear Error when it is not one this version knows. */
export function parseEvalReport(value: unknown): EvalReport {
  if (value === null || typeof value !== 'object') throw new Error('eval report: not a JSON object');
  const r = value as Partial<EvalReport>;
  if (r.kind !== EVAL_REPORT_KIND) throw new Error(`eval report: kind is ${JSON.stringify(r.kind)}, expected "${EVAL_REPORT_KIND}"`);
  if (typeof r.schemaVersion !== 'number' || r.schemaVersion > EVAL_REPORT_SCHEMA_VERSION) {
    throw new Error(`eval report: schema version ${String(r.schemaVersion)} is newer than this studio (${EVAL_REPORT_SCHEMA_VERSION})`);
  }
  if (typeof r.createdAt !== 'string' || typeof r.samples !== 'object' || typeof r.timing !== 'object') {
    throw new Error('eval report: missing createdAt, samples or timing');
  }
  return value as EvalReport;
}

/** One line per metric, for the CLI and logs. */
export function formatEvalSummary(report: EvalReport): string {
  const lines = [`eval of ${report.model.path} (${report.model.datasetId}, step ${report.model.step})`];
  const s = report.samples.sampling;
  lines.push(`  sampling: temperature ${s.temperature}, top-k ${s.topK || 'off'}, top-p ${s.topP < 1 ? s.topP : 'off'}, guidance ${describeGuidance(s)}`);
  const c = report.consistency;
  if (c) lines.push(`  class consistency: ${(c.accuracy * 100).toFixed(1)}% of ${c.count} samples`);
  const f = report.fid;
  if (f) {
    const ratio = f.floor > 0 && Number.isFinite(f.floor) ? `, ${(f.value / f.floor).toFixed(1)}x the floor` : '';
    lines.push(`  FID (judge features): ${f.value.toFixed(2)}  [train-vs-test floor ${f.floor.toFixed(2)}, N=${f.sampleCount}${ratio}]`);
  }
  const l = report.ceiling;
  if (l) lines.push(`  language ceiling (real images through the tokenizer, ${l.meanTokens.toFixed(0)} tokens): consistency ${(l.accuracy * 100).toFixed(1)}%, FID ${l.fid.toFixed(2)}`);
  const b = report.bits;
  if (b) lines.push(`  bits/image: ${b.bitsPerImage.toFixed(1)} (${b.tokensPerImage.toFixed(0)} tokens, ${b.bitsPerToken.toFixed(3)} bits/token) on ${b.images} test images`);
  lines.push(`  wall time: ${report.timing.secPerImage.toFixed(3)} s/image, ${report.timing.tokensPerSec.toFixed(0)} tokens/s on ${report.timing.backend}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
