/**
 * What every service handler factory receives: the workspace root, the job supervisor
 * and the mode the studio runs in.
 * Used by: node/service/* (createDatasetHandlers, createModelHandlers, ...), main, node/server.
 */
import type { JobSupervisor } from '../jobs/types';

export interface ServiceContext {
  /** Absolute path of the workspace root (see node/workspace.ts for its layout). */
  workspace: string;
  jobs: JobSupervisor;
  mode: 'electron' | 'browser';
}

export type { JobSupervisor };
