/**
 * Placeholder for the 'runs.*' and 'models.*' handlers until the runs module lands: every
 * call answers UNAVAILABLE. Used by: node/service/index.ts.
 */
import type { StudioHandlers } from '../../shared/api';
import { StudioError } from '../../shared/result';
import type { ServiceContext } from './context';

type ModelChannel = Extract<keyof StudioHandlers, `runs.${string}` | `models.${string}`>;

const unavailable = async (): Promise<never> => {
  throw new StudioError('UNAVAILABLE', 'runs and models are not available in this build');
};

export function createModelHandlers(_ctx: ServiceContext): Pick<StudioHandlers, ModelChannel> {
  return {
    'runs.list': unavailable,
    'runs.get': unavailable,
    'models.list': unavailable,
    'models.get': unavailable,
    'models.export': unavailable,
    'models.import': unavailable,
  };
}
