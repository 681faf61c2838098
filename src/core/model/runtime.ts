/**
 * The few runtime facilities core loops need, without DOM or Node types: a cancel flag
 * shaped like AbortSignal, a monotonic-enough clock, and a yield to the event loop (so
 * pause/cancel messages get through during long loops).
 * Used by: core/train/trainer.ts, core/sample/generate.ts.
 */

/** What core reads of an AbortSignal. */
export interface CancelSignal {
  readonly aborted: boolean;
}

type TimerHost = { setTimeout?: (fn: () => void, ms: number) => unknown; performance?: { now(): number } };

export function nowMs(): number {
  const host = globalThis as unknown as TimerHost;
  return host.performance ? host.performance.now() : Date.now();
}

export function yieldToEventLoop(): Promise<void> {
  const host = globalThis as unknown as TimerHost;
  return new Promise((resolve) => (host.setTimeout ? host.setTimeout(resolve, 0) : resolve()));
}
