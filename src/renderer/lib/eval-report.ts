/**
 * The evaluation report as the page reads it: a guarded view of the engine's
 * eval-report.json (the eval job's 'done' result, or ModelSummary.evalReport), with every
 * metric optional so a partial or older report still shows what it has. The renderer may
 * not import core/eval, so the shape is restated here and checked field by field.
 * Used by: stores/evaluate.ts, views/EvaluateView.vue, components/ConfusionMatrix.vue; tested in
 * test/renderer/evaluate.test.ts.
 */

export interface ConsistencyView {
  accuracy: number;
  count: number;
  /** Per requested class; null where no sample of that class was drawn. */
  perClass: (number | null)[];
  /** confusion[requested][judged] counts, square. */
  confusion: number[][];
}

export interface EvalReportView {
  createdAt: string;
  model: { path: string; datasetId: string; step: number; params: number };
  judgeAccuracy: number | null;
  samples: { count: number; seed: number; meanTokens: number; sampling: { temperature: number; topK: number; topP: number; guidance: number; guidancePlanes: number } | null };
  consistency: ConsistencyView | null;
  fid: { value: number; floor: number; sampleCount: number; referenceCount: number } | null;
  /** The judge on real images passed through the model's language: the most its samples can reach. */
  ceiling: { accuracy: number; fid: number; meanTokens: number } | null;
  bits: { bitsPerImage: number; bitsPerImageStd: number; tokensPerImage: number; bitsPerToken: number; images: number } | null;
  timing: { backend: string; totalSec: number; secPerImage: number; tokensPerSec: number };
  notes: string[];
}

/** Class-consistency goals of the paper setting per built-in dataset (fraction). */
export const CONSISTENCY_GOALS: Readonly<Record<string, number>> = { mnist: 0.97, 'fashion-mnist': 0.85 };

/** FID goal of the starter models: at most this many times the real-vs-real floor (same N). */
export const FID_GOAL_FLOOR_RATIO = 2;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, fallback = NaN): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

function readConsistency(v: unknown): ConsistencyView | null {
  if (!isObj(v) || !Array.isArray(v.confusion)) return null;
  const k = v.confusion.length;
  const confusion = v.confusion.map((row) => (Array.isArray(row) && row.length === k ? row.map((x) => num(x, 0)) : null));
  if (confusion.some((row) => row === null)) return null;
  const perClass = Array.isArray(v.perClass) ? v.perClass.map((x) => (typeof x === 'number' ? x : null)) : [];
  return { accuracy: num(v.accuracy, 0), count: num(v.count, 0), perClass, confusion: confusion as number[][] };
}

function readFid(v: unknown): EvalReportView['fid'] {
  if (!isObj(v) || typeof v.value !== 'number') return null;
  return { value: num(v.value), floor: num(v.floor), sampleCount: num(v.sampleCount, 0), referenceCount: num(v.referenceCount, 0) };
}

function readCeiling(v: unknown): EvalReportView['ceiling'] {
  if (!isObj(v) || typeof v.accuracy !== 'number' || typeof v.fid !== 'number') return null;
  return { accuracy: num(v.accuracy), fid: num(v.fid), meanTokens: num(v.meanTokens) };
}

function readBits(v: unknown): EvalReportView['bits'] {
  if (!isObj(v) || typeof v.bitsPerImage !== 'number') return null;
  return { bitsPerImage: num(v.bitsPerImage), bitsPerImageStd: num(v.bitsPerImageStd), tokensPerImage: num(v.tokensPerImage), bitsPerToken: num(v.bitsPerToken), images: num(v.images, 0) };
}

function readSampling(v: unknown): EvalReportView['samples']['sampling'] {
  if (!isObj(v)) return null;
  return { temperature: num(v.temperature), topK: num(v.topK, 0), topP: num(v.topP, 1), guidance: num(v.guidance, 1), guidancePlanes: num(v.guidancePlanes, 0) };
}

/** Reads an eval report from parsed JSON; null when it is not one (wrong kind, missing timing). */
export function readEvalReport(value: unknown): EvalReportView | null {
  if (!isObj(value) || value.kind !== 'wavelet-studio-eval' || !isObj(value.timing) || !isObj(value.samples)) return null;
  const model = isObj(value.model) ? value.model : {};
  const judge = isObj(value.judge) ? value.judge : null;
  const t = value.timing;
  const s = value.samples;
  return {
    createdAt: str(value.createdAt),
    model: { path: str(model.path), datasetId: str(model.datasetId), step: num(model.step, 0), params: num(model.params, 0) },
    judgeAccuracy: judge ? num(judge.testAccuracy) : null,
    samples: { count: num(s.count, 0), seed: num(s.seed, 0), meanTokens: num(s.meanTokens), sampling: readSampling(s.sampling) },
    consistency: readConsistency(value.consistency),
    fid: readFid(value.fid),
    ceiling: readCeiling(value.ceiling),
    bits: readBits(value.bits),
    timing: { backend: str(t.backend, '?'), totalSec: num(t.totalSec), secPerImage: num(t.secPerImage), tokensPerSec: num(t.tokensPerSec) },
    notes: Array.isArray(value.notes) ? value.notes.map(String) : [],
  };
}

/** Row sums of a confusion matrix (samples requested per class). */
export function rowTotals(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row) => row.reduce((a, b) => a + b, 0));
}

/**
 * Heat value of each cell in [0, 1]: the cell's share of its row (what fraction of the
 * samples asked for class r the judge called c), 0 for empty rows.
 */
export function confusionShares(confusion: readonly (readonly number[])[]): number[][] {
  const totals = rowTotals(confusion);
  return confusion.map((row, r) => row.map((x) => (totals[r] > 0 ? x / totals[r] : 0)));
}

/** The goal for a dataset, or null when the paper sets none. */
export function consistencyGoal(datasetId: string): number | null {
  return CONSISTENCY_GOALS[datasetId] ?? null;
}

/** Formats a fraction as a percentage with one decimal ("97.3%"), or "–". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}
