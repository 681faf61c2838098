/**
 * Whether a process id names a running process on this machine: signal 0 checks without
 * sending anything; EPERM means it exists but belongs to someone else.
 * Used by: node/datasets/store.ts (stale temp folders), node/runs/lock.ts (stale run locks).
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
