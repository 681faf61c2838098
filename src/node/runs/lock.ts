/**
 * One trainer per run folder: `train.lock` holds the pid, host and start time of the process
 * training the run. A second trainer (a double-clicked Resume, the CLI and the app on the
 * same folder) is refused with CONFLICT instead of interleaving checkpoints and metrics.
 * A lock left by a process that no longer runs on this host is taken over.
 * Used by: worker/jobs/train.ts (runTraining).
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../shared/result';
import { isProcessAlive } from '../process-alive';

export const LOCK_FILE = 'train.lock';
/** How long an unreadable lock is taken to be one being written (not one left behind). */
const FRESH_MS = 10_000;

interface LockBody {
  pid: number;
  host: string;
  since: number;
}

function parseLock(text: string): LockBody | undefined {
  try {
    const body = JSON.parse(text) as Partial<LockBody> | null;
    if (body && Number.isSafeInteger(body.pid) && (body.pid as number) > 0 && typeof body.host === 'string' && typeof body.since === 'number') return body as LockBody;
  } catch {
    // unreadable: left by a process killed while writing it
  }
  return undefined;
}

/** Takes the run folder's training lock; the returned function releases it. */
export async function acquireRunLock(runDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(runDir, { recursive: true });
  const path = join(runDir, LOCK_FILE);
  const body: LockBody = { pid: process.pid, host: hostname(), since: Date.now() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify(body));
      } catch (e) {
        await fs.rm(path, { force: true });
        throw e;
      } finally {
        await handle.close();
      }
      return async () => {
        const now = parseLock(await fs.readFile(path, 'utf8').catch(() => ''));
        if (now?.pid === body.pid && now.since === body.since) await fs.rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = parseLock(await fs.readFile(path, 'utf8').catch(() => ''));
    if (!holder) {
      // empty or garbled: being written by a trainer that just took it, or left by one killed while writing it
      const age = Date.now() - ((await fs.stat(path).catch(() => undefined))?.mtimeMs ?? 0);
      if (age < FRESH_MS) throw new StudioError('CONFLICT', `${runDir} is being claimed by another trainer right now`);
    } else if (holder.host !== body.host || isProcessAlive(holder.pid)) {
      const where = holder.host === body.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      throw new StudioError('CONFLICT', `${runDir} is being trained by ${where} since ${new Date(holder.since).toISOString()}; stop it first (or delete ${LOCK_FILE} if that process is gone)`);
    }
    await fs.rm(path, { force: true }); // stale: its process is gone
  }
  throw new StudioError('CONFLICT', `${runDir}: could not take ${LOCK_FILE} (another trainer took it first)`);
}
