/** The job supervisor and friends; see supervisor.ts. Used by: main, node/server, node/service, cli. */
export type { JobSupervisor, StartJobOptions } from './types';
export { createJobSupervisor, type SupervisorOptions } from './supervisor';
export { createForkSpawn, defaultHostPath, tsxExecArgv, type JobProcess, type SpawnJobProcess } from './spawn';
export { runJobInProcess, type InProcessContext } from './in-process';
