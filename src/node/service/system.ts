/**
 * 'system.info': version, mode, workspace and which compute backends this machine can
 * load. The probe is cheap on purpose (module resolution only, no native load), so the
 * UI can call it at every start; a job reports the backend it actually got.
 * 'system.pickPath': no native dialog exists outside the desktop app, so this answers
 * { path: null } (main replaces it with the real dialog); the UI then shows a typed field.
 * Used by: node/service/index.ts.
 */
import { createRequire } from 'node:module';
import packageJson from '../../../package.json' with { type: 'json' };
import type { BackendName, PickedPath, SystemInfo } from '../../shared/dto';
import type { ServiceContext } from './context';

export interface BackendProbe {
  platform: NodeJS.Platform;
  arch: string;
  /** True when the module resolves from the app's node_modules. */
  resolves(moduleName: string): boolean;
}

const BACKEND_MODULES: { name: BackendName; module: string }[] = [
  { name: 'tensorflow-gpu', module: '@tensorflow/tfjs-node-gpu' },
  { name: 'tensorflow', module: '@tensorflow/tfjs-node' },
  { name: 'wasm', module: '@tensorflow/tfjs-backend-wasm' },
  { name: 'cpu', module: '@tensorflow/tfjs' },
];

export function currentBackendProbe(): BackendProbe {
  const require = createRequire(import.meta.url);
  return {
    platform: process.platform,
    arch: process.arch,
    resolves: (moduleName) => {
      try {
        require.resolve(moduleName);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Backends best first, each with the reason when it cannot be used here. */
export function probeBackends(probe: BackendProbe = currentBackendProbe()): SystemInfo['backends'] {
  return BACKEND_MODULES.map(({ name, module }) => {
    if (name === 'tensorflow-gpu' && !(probe.platform === 'linux' && probe.arch === 'x64')) {
      return { name, available: false, reason: 'needs Linux x64 with CUDA' };
    }
    return probe.resolves(module) ? { name, available: true } : { name, available: false, reason: 'not installed' };
  });
}

export const studioVersion: string = packageJson.version;

export interface SystemHandlers {
  'system.info': () => Promise<SystemInfo>;
  'system.pickPath': () => Promise<PickedPath>;
}

export function createSystemHandlers(ctx: ServiceContext, probe?: BackendProbe): SystemHandlers {
  return {
    'system.pickPath': async () => ({ path: null }),
    'system.info': async () => ({
      version: studioVersion,
      mode: ctx.mode,
      workspace: ctx.workspace,
      backends: probeBackends(probe),
    }),
  };
}
