/**
 * StudioApi: the one typed contract between the renderer and the engine. A map from
 * channel name to request schema and response type; the preload (Electron) and the
 * browser-mode bridge both expose it to the renderer as `studio.<group>.<call>(payload)`.
 * Used by: main/ipc, preload, node/server, node/service, renderer/api.
 */
import type { z } from 'zod';
import * as s from './schemas';
import type * as d from './dto';
import type { Result } from './result';
import type { Channel } from './channels';

export * from './channels';

/** Every call: its request schema. Order does not matter; names are `group.call`. */
export const requestSchemas = {
  'system.info': s.emptySchema,
  'system.pickPath': s.pickPathSchema,
  'datasets.list': s.emptySchema,
  'datasets.page': s.datasetPageSchema,
  'datasets.item': s.datasetItemSchema,
  'datasets.stats': s.datasetStatsSchema,
  'datasets.import': s.datasetImportSchema,
  'datasets.remove': s.datasetRefSchema,
  'datasets.buildTokens': s.tokenCacheSchema,
  'jobs.list': s.emptySchema,
  'jobs.get': s.jobRefSchema,
  'jobs.cancel': s.jobRefSchema,
  'jobs.pause': s.jobRefSchema,
  'jobs.resume': s.jobRefSchema,
  'jobs.train': s.trainStartSchema,
  'jobs.sample': s.sampleStartSchema,
  'jobs.edit': s.editStartSchema,
  'jobs.eval': s.evalStartSchema,
  'runs.list': s.emptySchema,
  'runs.get': s.runRefSchema,
  'models.list': s.emptySchema,
  'models.get': s.modelRefSchema,
  'models.export': s.modelExportSchema,
  'models.import': s.modelImportSchema,
} as const;

/** Compile-time check: the schema map and the channel list name the same calls. */
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : false;
const channelListMatchesSchemas: SameKeys<typeof requestSchemas, Channel> = true;
void channelListMatchesSchemas;

/** Response type of every call. */
export interface ResponseMap {
  'system.info': d.SystemInfo;
  'system.pickPath': d.PickedPath;
  'datasets.list': d.DatasetSummary[];
  'datasets.page': d.DatasetPage;
  'datasets.item': d.DatasetItem;
  'datasets.stats': d.DatasetStats;
  'datasets.import': d.JobRef;
  'datasets.remove': { removed: true };
  'datasets.buildTokens': d.JobRef;
  'jobs.list': d.JobSnapshot[];
  'jobs.get': d.JobSnapshot;
  'jobs.cancel': { state: d.JobState };
  'jobs.pause': { state: d.JobState };
  'jobs.resume': { state: d.JobState };
  'jobs.train': d.JobRef;
  'jobs.sample': d.JobRef;
  'jobs.edit': d.JobRef;
  'jobs.eval': d.JobRef;
  'runs.list': d.RunSummary[];
  'runs.get': d.RunDetail;
  'models.list': d.ModelSummary[];
  'models.get': d.ModelSummary;
  'models.export': { path: string; bytes: number };
  'models.import': d.ModelSummary;
}

export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;
export type ResponseOf<C extends Channel> = ResponseMap[C];

/** The handler side: one async function per channel, given a validated request. */
export type StudioHandlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

type GroupOf<C extends string> = C extends `${infer G}.${string}` ? G : never;
type CallOf<C extends string, G extends string> = C extends `${G}.${infer N}` ? N : never;

/** The renderer side: `studio.datasets.page({...})` resolves to a Result, never throws. */
export type StudioApi = {
  [G in GroupOf<Channel>]: {
    [N in CallOf<Channel, G>]: (request: RequestOf<`${G}.${N}` & Channel>) => Promise<Result<ResponseOf<`${G}.${N}` & Channel>>>;
  };
} & {
  /** Subscribes to job events; returns an unsubscribe function. */
  onJobEvent(listener: (event: d.JobEvent) => void): () => void;
};
