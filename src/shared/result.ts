/**
 * The result envelope that crosses every process boundary (IPC, browser-mode bridge, job
 * host). Errors are values with a stable code; the UI shows `message`, never a stack.
 * Used by: main, preload, node/server, worker, renderer/api, cli.
 */

export type ErrorCode =
  | 'BAD_REQUEST' // payload failed validation
  | 'UNAUTHORIZED' // browser mode: missing or wrong token, foreign origin
  | 'NOT_FOUND' // dataset, run, model, job or file that does not exist
  | 'CONFLICT' // e.g. a job already running on that run directory
  | 'BAD_FILE' // corrupt, truncated or foreign file
  | 'BAD_TOKENS' // illegal token stream
  | 'CANCELLED'
  | 'JOB_CRASHED' // the job process exited without reporting
  | 'NAN_LOSS'
  | 'UNAVAILABLE' // backend or feature missing on this machine
  | 'INTERNAL';

export interface StudioErrorData {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioErrorData };

/** An Error that carries a stable code; thrown inside a process, turned into a value at its edge. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): { ok: false; error: StudioErrorData } {
  return { ok: false, error: { code, message } };
}

/** Turns anything thrown into an error value; unknown errors keep only their message. */
export function toErrorData(e: unknown): StudioErrorData {
  if (e instanceof StudioError) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  return { code: 'INTERNAL', message: String(e) };
}
