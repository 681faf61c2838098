/**
 * The 'runs.*' and 'models.*' handlers: training runs in the workspace, and the models
 * that can sample (runs with a checkpoint, imported and starter models); export/import
 * through node/models/package.ts.
 * Used by: node/service/index.ts.
 */
import { join } from 'node:path';
import type { StudioHandlers } from '../../shared/api';
import { confinePath } from './paths';
import type { ModelSummary } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { exportModelPackage, importModelPackage } from '../models/package';
import { modelLocations, modelSummary, resolveModelDir } from '../runs/models';
import { listRunDirs, runDetail, runSummary } from '../runs/store';
import { workspaceLayout } from '../workspace';
import type { ServiceContext } from './context';

type ModelChannel = Extract<keyof StudioHandlers, `runs.${string}` | `models.${string}`>;

export function createModelHandlers(ctx: ServiceContext): Pick<StudioHandlers, ModelChannel> {
  const runsRoot = (): string => workspaceLayout(ctx.workspace).runs;
  const listModels = async (): Promise<ModelSummary[]> => {
    const out: ModelSummary[] = [];
    for (const location of await modelLocations(ctx.workspace)) {
      // one unreadable folder must not hide the others
      const summary = await modelSummary(location).catch(() => undefined);
      if (summary) out.push(summary);
    }
    return out;
  };
  return {
    'runs.list': async () => {
      const out = [];
      for (const dir of await listRunDirs(runsRoot())) {
        const summary = await runSummary(dir).catch(() => undefined);
        if (summary) out.push(summary);
      }
      return out;
    },
    'runs.get': async ({ runId }) => runDetail(join(runsRoot(), runId)),
    'models.list': listModels,
    'models.get': async ({ modelId }) => {
      const found = (await listModels()).find((m) => m.modelId === modelId);
      if (!found) throw new StudioError('NOT_FOUND', `no model "${modelId}" with a checkpoint`);
      return found;
    },
    'models.export': async ({ modelId, path }) => {
      const dir = await resolveModelDir(ctx.workspace, modelId);
      // browser mode never replaces a file, even one made between the check and the write
      const { path: written, bytes } = await exportModelPackage(dir, await confinePath(ctx, path, 'export'), new Date(), { replace: ctx.mode !== 'browser' });
      return { path: written, bytes };
    },
    'models.import': async ({ path }) => {
      const imported = await importModelPackage(await confinePath(ctx, path, 'import'), ctx.workspace);
      const summary = await modelSummary({ modelId: imported.modelId, dir: imported.dir, source: 'imported' });
      if (!summary) throw new StudioError('BAD_FILE', `${path}: the package holds no checkpoint`);
      return summary;
    },
  };
}
