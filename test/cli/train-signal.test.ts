/**
 * The train command as a process: SIGTERM (what a service manager or `kill` sends) finishes
 * the current step, writes a checkpoint and exits cleanly, and the same command resumes
 * from that step. Tiny preset on a 16-image synthetic dataset in a temp workspace.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/node/runs/checkpoint';
import { writeBarsDataset } from '../node/runs/bars-dataset';

let workspace: string;

beforeAll(async () => {
  workspace = await fs.mkdtemp(join(tmpdir(), 'ws-train-signal-'));
  await writeBarsDataset(workspace, { seed: 3 });
});

afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

/** Runs `train`; `stopAfter` sends SIGTERM once the progress bar passes that step. */
function train(runDir: string, steps: number, stopAfter?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--dataset', 'bars', '--preset', 'tiny', '--backend', 'cpu',
    '--workspace', workspace, '--run-dir', runDir, '--steps', String(steps), '--set', 'train.checkpointEvery=1000,train.evalEvery=0,train.galleryEvery=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    const steps = [...stderr.matchAll(/train \[[#-]+\] (\d+)\//g)].map((m) => Number(m[1]));
    if (stopAfter !== undefined && !sent && steps.some((s) => s >= stopAfter)) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('train command', () => {
  it('checkpoints on SIGTERM and resumes from there', async () => {
    const runDir = join(workspace, 'run');
    const stopped = await train(runDir, 400, 2);
    expect(stopped.stderr).toContain('terminated: writing a checkpoint');
    expect(stopped.code, stopped.stderr).toBe(0);
    const step = Number(/stopped at step (\d+)/.exec(stopped.stdout)?.[1]);
    expect(step).toBeGreaterThanOrEqual(2);
    expect(step).toBeLessThan(400);
    expect((await loadCheckpoint(runDir))?.state.step).toBe(step); // written on the way out, not by the schedule
    const resumed = await train(runDir, step + 2);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resume run');
    expect(resumed.stdout).toContain(`finished at step ${step + 2}`);
  }, 120_000);
});
