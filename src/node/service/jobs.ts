/**
 * The 'jobs.*' handlers: snapshots and control of running jobs, and the calls that start
 * train / sample / edit / eval jobs with an already validated request.
 * Used by: node/service/index.ts.
 */
import type { StudioHandlers } from '../../shared/api';
import type { ServiceContext } from './context';

type JobChannel = Extract<keyof StudioHandlers, `jobs.${string}`>;
export type JobHandlers = Pick<StudioHandlers, JobChannel>;

export function createJobHandlers(ctx: ServiceContext): JobHandlers {
  const { jobs } = ctx;
  return {
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => ({ state: jobs.cancel(jobId) }),
    'jobs.pause': async ({ jobId }) => ({ state: jobs.pause(jobId) }),
    'jobs.resume': async ({ jobId }) => ({ state: jobs.resume(jobId) }),
    'jobs.train': async (request) => jobs.start('train', request, { backend: request.backend }),
    'jobs.sample': async (request) => jobs.start('sample', request),
    'jobs.edit': async (request) => jobs.start('edit', request),
    'jobs.eval': async (request) => jobs.start('eval', request),
  };
}
