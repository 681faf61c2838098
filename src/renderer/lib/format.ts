/**
 * Number and time formatting with fixed widths for monospace figures.
 * Used by: views and components that show metrics, ETAs and sizes.
 */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatNumber(value: number | undefined | null, digits = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1e4) return value.toExponential(2);
  return value.toFixed(digits);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "bit-plane 1" or "bit-planes 1-3": the first n planes of a sentence. */
export function planesText(n: number): string {
  return n === 1 ? 'bit-plane 1' : `bit-planes 1-${n}`;
}

/** Short guidance label for a sampling head: '' when off, 'g=2', or 'g=2 on bit-planes 1-3' with an interval. */
export function guidanceLabel(sampling: { guidance?: number; guidancePlanes?: number }): string {
  const g = sampling.guidance ?? 1;
  if (g === 1) return '';
  const planes = sampling.guidancePlanes ?? 0;
  return planes > 0 ? `g=${g} on ${planesText(planes)}` : `g=${g}`;
}

/** ' text' for a non-empty text, else '' (a template's leading space before an interpolation is not kept). */
export function withSpace(text: string): string {
  return text === '' ? '' : ` ${text}`;
}

/** "3 · Dress" for named classes, just "3" where the name is the index itself (MNIST). */
export function classLabel(classes: readonly string[], index: number): string {
  const name = classes[index];
  return name === undefined || name === String(index) ? String(index) : `${index} · ${name}`;
}
