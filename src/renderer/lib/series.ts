/**
 * Metric series helpers for the charts: exponential smoothing that skips gaps, aligning
 * several runs on one step axis, and parsing of "key = value" override lines.
 * Used by: views/TrainingView.vue, components/MetricChart.vue; tested in lib.test.ts.
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
