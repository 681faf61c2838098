/**
 * Placeholder for the 'datasets.*' handlers until the datasets module lands: every call
 * answers UNAVAILABLE. Used by: node/service/index.ts.
 */
import type { StudioHandlers } from '../../shared/api';
import { StudioError } from '../../shared/result';
import type { ServiceContext } from './context';

type DatasetChannel = Extract<keyof StudioHandlers, `datasets.${string}`>;

const unavailable = async (): Promise<never> => {
  throw new StudioError('UNAVAILABLE', 'datasets are not available in this build');
};

export function createDatasetHandlers(_ctx: ServiceContext): Pick<StudioHandlers, DatasetChannel> {
  return {
    'datasets.list': unavailable,
    'datasets.page': unavailable,
    'datasets.item': unavailable,
    'datasets.stats': unavailable,
    'datasets.import': unavailable,
    'datasets.remove': unavailable,
    'datasets.buildTokens': unavailable,
  };
}
