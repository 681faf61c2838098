/**
 * Turns an API error value into the one sentence the UI shows: what happened and what to do.
 * Used by: stores (which keep the sentence), tested in test/renderer/bridge.test.ts.
 */
import type { StudioErrorData } from '../../shared/result';

const ADVICE: Record<string, string> = {
  BAD_REQUEST: 'check the fields and try again',
  UNAUTHORIZED: 'open the address printed by the studio server again (it carries the session token)',
  NOT_FOUND: 'refresh the list and pick another one',
  CONFLICT: 'wait for the running job to finish or stop it first',
  BAD_FILE: 'check the file and import it again',
  BAD_TOKENS: 'the sentence is not valid; regenerate it',
  CANCELLED: 'start it again when ready',
  JOB_CRASHED: 'start the job again; if it repeats, try a smaller preset or another backend',
  NAN_LOSS: 'lower the learning rate or pick a smaller preset, then train again',
  UNAVAILABLE: 'check that the studio server is running, then retry',
  INTERNAL: 'retry; if it repeats, restart the studio',
};

/** "<action> failed: <message>; <advice>." as one sentence. */
export function describeError(action: string, error: StudioErrorData): string {
  const message = error.message.replace(/[.\s]+$/, '');
  const serverDown = error.code === 'UNAVAILABLE' && message.startsWith('The studio server');
  const advice = serverDown ? ADVICE.UNAVAILABLE : error.code === 'UNAVAILABLE' ? 'this build or machine does not offer it yet' : (ADVICE[error.code] ?? ADVICE.INTERNAL);
  return `${action} failed: ${message}; ${advice}.`;
}
