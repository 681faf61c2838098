/**
 * The studio service: every StudioApi channel's handler, composed from the parts
 * (system, jobs, datasets, runs/models), and `dispatch`, the one door through which IPC
 * and HTTP calls enter: it validates the raw payload with the channel's schema (unknown
 * keys rejected) and turns anything thrown into an error value.
 * Used by: main/ipc.ts (Electron), node/server (browser mode), tests.
 */
import { isChannel, requestSchemas, type Channel, type StudioHandlers } from '../../shared/api';
import { fail, ok, toErrorData, type Result } from '../../shared/result';
import type { ServiceContext } from './context';
import { createDatasetHandlers } from './datasets';
import { createJobHandlers } from './jobs';
import { createModelHandlers } from './models';
import { createSystemHandlers } from './system';

export type { ServiceContext } from './context';

export function createStudioService(ctx: ServiceContext): StudioHandlers {
  return {
    ...createSystemHandlers(ctx),
    ...createJobHandlers(ctx),
    ...createDatasetHandlers(ctx),
    ...createModelHandlers(ctx),
  };
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/** "field.sub: message; other: message", naming every field that failed. */
export function describeIssues(issues: readonly ZodLikeIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
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
