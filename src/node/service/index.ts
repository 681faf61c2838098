/**
 * The studio service: every StudioApi channel's handler, composed from the parts
 * (system, jobs, datasets, runs/models), and `dispatch`, the one door through which IPC
 * and HTTP calls enter: it validates the raw payload with the channel's schema (unknown
 * keys rejected) and turns anything thrown into an error value.
 * Used by: main/ipc.ts (Electron), node/server (browser mode), tests.
 */
import { isChannel, requestSchemas, type Channel, type StudioHandlers } from '../../shared/api';
import { fail, ok, toErrorData, type Result } from '../../shared/result';
import { describeIssues } from '../../shared/validation';
import type { PathContext } from './paths';
import { createDatasetHandlers } from './datasets';
import { createJobHandlers } from './jobs';
import { createModelHandlers } from './models';
import { createSystemHandlers } from './system';

export type { ServiceContext } from './context';
export type { PathContext, PickedPaths } from './paths';

/** `ctx.pickedPaths` (desktop app) limits path-taking calls to paths picked in a dialog. */
export function createStudioService(ctx: PathContext): StudioHandlers {
  return {
    ...createSystemHandlers(ctx),
    ...createJobHandlers(ctx),
    ...createDatasetHandlers(ctx),
    ...createModelHandlers(ctx),
  };
}

/** Validates and runs one call; never throws, always resolves to a Result. */
export async function dispatch(handlers: StudioHandlers, channel: string, rawPayload: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('NOT_FOUND', `unknown call "${channel}"`);
  const parsed = requestSchemas[channel].safeParse(rawPayload === undefined ? {} : rawPayload);
  if (!parsed.success) return fail('BAD_REQUEST', `${channel}: ${describeIssues(parsed.error.issues)}`);
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return ok(await handler(parsed.data));
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

export type { Channel };
