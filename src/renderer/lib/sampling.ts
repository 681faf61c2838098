/**
 * Sampling settings as the engine receives them: the guided-planes field of a form can hold
 * '' (cleared), a fraction or a number past the schema's bound, and is meaningless without
 * guidance, so a request carries a whole number 0..64, and 0 when guidance is off.
 * Used by: stores/sampler.ts, stores/evaluate.ts.
 */
import type { SamplingDto } from '../../shared/schemas';

export const MAX_GUIDANCE_PLANES = 64;

/** The guided-planes value a request can carry: 0 (every plane) for anything unreadable. */
export function cleanGuidancePlanes(value: unknown, guidance: number): number {
  if (guidance === 1) return 0;
  const n = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(MAX_GUIDANCE_PLANES, Math.round(n));
}

/** A copy of `s` whose guidancePlanes the engine accepts. */
export function samplingRequest(s: SamplingDto): SamplingDto {
  return { ...s, guidancePlanes: cleanGuidancePlanes(s.guidancePlanes, s.guidance) };
}
