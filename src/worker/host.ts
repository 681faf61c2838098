/**
 * Entry point of a job host process: one job per process. Runs under Node's
 * child_process.fork (CLI, browser mode, tests; loaded through tsx from source) or as
 * Electron's utility process (bundled to out/main/job-host.js). Talks to its parent with
 * the messages of node/jobs/protocol.ts; looks jobs up in ./jobs/index.ts.
 * Used by: node/jobs/spawn.ts (fork), main/job-process.ts (utilityProcess).
 */
import { startJobHost } from '../node/jobs/host-loop';
import { loadJobHandler } from './jobs/index';

startJobHost((kind) => loadJobHandler(kind));
