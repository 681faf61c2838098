/**
 * How the supervisor starts a job host process. The default forks src/worker/host.ts
 * through tsx (running from source: CLI, browser mode, tests); Electron's main process
 * injects its own SpawnJobProcess built on utilityProcess (see main/job-process.ts).
 * Used by: node/jobs/supervisor.ts, main, tests (which fork a test host).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StudioError } from '../../shared/result';
import type { HostCommand } from './protocol';

/** One job host process as the supervisor sees it, whatever started it. */
export interface JobProcess {
  send(command: HostCommand): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended; `signal` names a kill when there was one. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type SpawnJobProcess = () => JobProcess;

export interface ForkSpawnOptions {
  /** The host entry; default src/worker/host.ts beside this source tree. */
  hostPath?: string;
  /** Extra environment for the child (merged over process.env). */
  env?: Record<string, string>;
}

/** Node flags that load a TypeScript entry through tsx (an absolute URL, so any cwd works). */
export function tsxExecArgv(): string[] {
  const require = createRequire(import.meta.url);
  return ['--import', pathToFileURL(require.resolve('tsx')).href];
}

export function defaultHostPath(): string {
  return fileURLToPath(new URL('../../worker/host.ts', import.meta.url));
}

export function createForkSpawn(options: ForkSpawnOptions = {}): SpawnJobProcess {
  const hostPath = options.hostPath ?? defaultHostPath();
  return () => {
    if (!existsSync(hostPath)) throw new StudioError('UNAVAILABLE', `the job host ${hostPath} is missing`);
    const child = fork(hostPath, [], {
      execArgv: hostPath.endsWith('.ts') ? tsxExecArgv() : [],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    const onEnd = (code: number | null, signal: string | null): void => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code, signal);
    };
    child.on('exit', (code, signal) => onEnd(code, signal));
    child.on('error', () => {
      if (child.exitCode === null && child.pid === undefined) onEnd(null, 'SPAWN_FAILED');
    });
    return {
      send: (command) => {
        if (child.connected) child.send(command, (e) => void e); // a closed channel shows up as exit
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
  };
}
