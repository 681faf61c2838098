/** Shared helpers of the job tests: a supervisor on the test host, and waiting for conditions. */
import { fileURLToPath } from 'node:url';
import { createForkSpawn, createJobSupervisor, type SupervisorOptions } from '../../../src/node/jobs/index';
import type { JobSupervisor } from '../../../src/node/jobs/types';

export const TEST_HOST = fileURLToPath(new URL('./fixtures/test-host.ts', import.meta.url));

export function testSupervisor(workspace: string, extra: Partial<SupervisorOptions> = {}): JobSupervisor {
  return createJobSupervisor({ workspace, spawn: createForkSpawn({ hostPath: TEST_HOST }), ...extra });
}

export async function waitFor(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
