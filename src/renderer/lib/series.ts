/**
 * Metric series helpers for the charts: exponential smoothing that skips gaps, aligning
 * several runs on one step axis, the loss chart's series, and parsing of "key = value"
 * override lines.
 * Used by: views/TrainingView.vue (the series it hands to components/MetricChart.vue),
 * components/TrainForm.vue (override lines); tested in lib.test.ts.
 */
import type { MetricPoint } from '../../shared/dto';

/** Debiased exponential moving average; `weight` 0 = raw, 0.99 = very smooth. Gaps stay gaps. */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.max(0, Math.min(0.999, weight));
  let acc = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    acc = acc * w + (1 - w) * v;
    n += 1;
    return acc / (1 - w ** n);
  });
}

export type MetricKey = Exclude<keyof MetricPoint, 'step' | 'wallSec'>;

/** One step axis (the union of all runs' steps) and each run's values on it (null where absent). */
export function alignRuns(runs: readonly (readonly MetricPoint[])[], key: MetricKey): { steps: number[]; values: (number | null)[][] } {
  const stepSet = new Set<number>();
  for (const r of runs) for (const p of r) if (p[key] !== undefined) stepSet.add(p.step);
  const steps = [...stepSet].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const values = runs.map((r) => {
    const out = new Array<number | null>(steps.length).fill(null);
    for (const p of r) {
      const v = p[key];
      if (v !== undefined) out[index.get(p.step) as number] = v;
    }
    return out;
  });
  return { steps, values };
}

/** One line of a chart (structurally MetricChart's ChartSeries). */
export interface LineSeries {
  label: string;
  values: (number | null)[];
  color: string;
  width?: number;
  dash?: boolean;
}

const COMPARE_PALETTE = ['#a855f7', '#14b8a6', '#eab308', '#ef4444', '#64748b'];

/**
 * The loss chart: the run's smoothed training loss, its validation loss, the validation
 * loss of its weight average when the run keeps one (train.emaDecay > 0), and the smoothed
 * training loss of every compared run, all on one step axis.
 */
export function lossSeries(current: readonly MetricPoint[], compare: Readonly<Record<string, readonly MetricPoint[]>>, smoothing: number): { steps: number[]; series: LineSeries[] } {
  const runs = [current, ...Object.values(compare)];
  const train = alignRuns(runs, 'trainLoss');
  const val = alignRuns(runs, 'valLoss');
  const emaVal = alignRuns(runs, 'emaValLoss');
  const steps = [...new Set([...train.steps, ...val.steps, ...emaVal.steps])].sort((a, b) => a - b);
  const at = (src: { steps: number[]; values: (number | null)[][] }, r: number): (number | null)[] => {
    const m = new Map(src.steps.map((s, i) => [s, src.values[r][i]]));
    return steps.map((s) => m.get(s) ?? null);
  };
  const series: LineSeries[] = [
    { label: 'train', values: smooth(at(train, 0), smoothing), color: '#3b6fd9' },
    { label: 'val', values: at(val, 0), color: '#f08a24', width: 2 },
  ];
  if (emaVal.values[0].some((v) => v !== null)) series.push({ label: 'val (average)', values: at(emaVal, 0), color: '#16a34a', width: 2 });
  Object.keys(compare).forEach((id, k) => series.push({ label: id, values: smooth(at(train, k + 1), smoothing), color: COMPARE_PALETTE[k % COMPARE_PALETTE.length], dash: true }));
  return { steps, series };
}

/** Parses "key = value" lines (numbers, true/false, else strings); returns errors by line. */
export function parseOverrides(text: string): { values: Record<string, number | boolean | string>; errors: string[] } {
  const values: Record<string, number | boolean | string> = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Za-z_][\w.]*)\s*[=:]\s*(.+)$/.exec(line);
    if (!m) {
      errors.push(`line ${i + 1}: expected "name = value"`);
      return;
    }
    const v = m[2].trim();
    values[m[1]] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  });
  return { values, errors };
}
