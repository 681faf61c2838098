/**
 * Job host processes under Electron: Electron's utilityProcess running the bundled
 * out/main/job-host.js, adapted to the supervisor's JobProcess interface. The main
 * process only supervises; the model runs in these processes.
 * Used by: main/app.ts (injected into node/jobs' createJobSupervisor).
 */
import { utilityProcess } from 'electron';
import type { JobProcess, SpawnJobProcess } from '../node/jobs/spawn';
import type { HostCommand } from '../node/jobs/protocol';

export function createUtilitySpawn(hostPath: string): SpawnJobProcess {
  return (): JobProcess => {
    const child = utilityProcess.fork(hostPath, [], { serviceName: 'Wavelet Studio job', stdio: 'inherit' });
    let spawned = false;
    let exited = false;
    const queued: HostCommand[] = [];
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const command of queued.splice(0)) child.postMessage(command);
    });
    child.on('exit', (code: number) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code, null);
    });
    return {
      send: (command) => {
        if (exited) return;
        if (spawned) child.postMessage(command);
        else queued.push(command);
      },
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
