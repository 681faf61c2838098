import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../../src/node/runs/lock';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'ws-lock-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const lockPath = (): string => join(dir, 'train.lock');
/** A pid that certainly no longer runs: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid;

describe('run lock', () => {
  it('lets one trainer in at a time and frees the run on release', async () => {
    const release = await acquireRunLock(dir);
    expect(JSON.parse(await fs.readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(acquireRunLock(dir)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`process ${process.pid}`) });
    await release();
    await expect(fs.access(lockPath())).rejects.toThrow();
    const again = await acquireRunLock(dir);
    await again();
  });

  it('takes over a lock whose process is gone, and an old unreadable one', async () => {
    await fs.writeFile(lockPath(), JSON.stringify({ pid: deadPid(), host: hostname(), since: 1 }));
    const release = await acquireRunLock(dir);
    expect(JSON.parse(await fs.readFile(lockPath(), 'utf8')).pid).toBe(process.pid);
    await release();
    await fs.writeFile(lockPath(), '{"pid":');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockPath(), old, old);
    await (await acquireRunLock(dir))();
  });

  it('refuses a lock being written right now and one held on another host', async () => {
    await fs.writeFile(lockPath(), '');
    await expect(acquireRunLock(dir)).rejects.toMatchObject({ code: 'CONFLICT', message: /being claimed/ });
    await fs.writeFile(lockPath(), JSON.stringify({ pid: deadPid(), host: `${hostname()}-other`, since: 1 }));
    await expect(acquireRunLock(dir)).rejects.toMatchObject({ code: 'CONFLICT', message: /on .*-other/ });
  });

  it('a release leaves a lock that is no longer its own', async () => {
    const release = await acquireRunLock(dir);
    const other = JSON.stringify({ pid: process.pid, host: hostname(), since: 42 });
    await fs.writeFile(lockPath(), other);
    await release();
    expect(await fs.readFile(lockPath(), 'utf8')).toBe(other);
  });
});
