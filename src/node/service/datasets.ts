/**
 * The 'datasets.*' handlers of the StudioApi: list, page (thumbnails), item (image and its
 * sentence, encoded on the fly), stats (class counts, and length / start-exponent figures
 * when a token cache exists), remove (imported datasets only), and import / buildTokens,
 * which start 'import' / 'tokenize' jobs through the supervisor.
 * Requests arrive validated by service/index.ts's dispatch. Used by: node/service/index.ts.
 */
import { promises as fs } from 'node:fs';
import type { StudioHandlers } from '../../shared/api';
import { confineCsvRows, confinePath } from './paths';
import type { DatasetItem, DatasetPage, DatasetStats, DatasetThumb } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { classCounts, imageAt, indicesOfClass, splitRange, type DatasetArrays, type DatasetSplit, type IndexRange } from '../../core/data/dataset';
import { encodeImage } from '../../core/language/index';
import { getManifest, listDatasets, loadDataset, removeDataset } from '../datasets/catalog';
import type { ImportRequest } from '../datasets/importers';
import { toSummary } from '../datasets/summary';
import { findTokenCacheManifest, forgetTokenCaches } from '../datasets/token-cache';
import type { ServiceContext } from './context';

type DatasetChannel = 'datasets.list' | 'datasets.page' | 'datasets.item' | 'datasets.stats' | 'datasets.remove' | 'datasets.import' | 'datasets.buildTokens';

/** Indices of one class within a split, computed once per loaded dataset. */
const classIndex = new WeakMap<DatasetArrays, Map<string, Uint32Array>>();

function indicesFor(data: DatasetArrays, split: DatasetSplit, range: IndexRange, label: number): Uint32Array {
  let perData = classIndex.get(data);
  if (!perData) {
    perData = new Map();
    classIndex.set(data, perData);
  }
  const key = `${split}:${label}`;
  let found = perData.get(key);
  if (!found) {
    found = indicesOfClass(data.labels, range, label);
    perData.set(key, found);
  }
  return found;
}

function checkLabel(data: DatasetArrays, label: number): void {
  if (label >= data.manifest.classes.length) {
    throw new StudioError('BAD_REQUEST', `class ${label} does not exist: "${data.manifest.id}" has ${data.manifest.classes.length} classes`);
  }
}

function toBase64(pixels: Uint8Array): string {
  return Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64');
}

async function page(workspace: string, req: Parameters<StudioHandlers['datasets.page']>[0]): Promise<DatasetPage> {
  const data = await loadDataset(workspace, req.datasetId);
  const range = splitRange(data.manifest.counts, req.split);
  const thumb = (globalIndex: number): DatasetThumb => ({
    index: globalIndex - range.start,
    label: data.labels[globalIndex],
    pixels: toBase64(imageAt(data, globalIndex)),
  });
  let items: DatasetThumb[];
  let total: number;
  if (req.label === null) {
    total = range.count;
    const end = Math.min(total, req.offset + req.limit);
    items = [];
    for (let i = req.offset; i < end; i++) items.push(thumb(range.start + i));
  } else {
    checkLabel(data, req.label);
    const indices = indicesFor(data, req.split, range, req.label);
    total = indices.length;
    items = Array.from(indices.subarray(req.offset, req.offset + req.limit), thumb);
  }
  return { total, width: data.manifest.width, height: data.manifest.height, items };
}

async function item(workspace: string, req: Parameters<StudioHandlers['datasets.item']>[0]): Promise<DatasetItem> {
  const data = await loadDataset(workspace, req.datasetId);
  const { width, height } = data.manifest;
  const range = splitRange(data.manifest.counts, req.split);
  if (req.index >= range.count) {
    throw new StudioError('NOT_FOUND', `image ${req.index} does not exist: the ${req.split} split of "${req.datasetId}" has ${range.count} images`);
  }
  const tokenizer = req.tokenizer ?? data.manifest.defaultTokenizer;
  const pixels = imageAt(data, range.start + req.index);
  const encoded = encodeImage(pixels, width, height, tokenizer);
  return {
    datasetId: req.datasetId,
    split: req.split,
    index: req.index,
    label: data.labels[range.start + req.index],
    width,
    height,
    pixels: toBase64(pixels),
    tokenizer: { ...tokenizer },
    sentence: { tokens: Array.from(encoded.tokens), startExponent: encoded.startExponent },
  };
}

async function stats(workspace: string, req: Parameters<StudioHandlers['datasets.stats']>[0]): Promise<DatasetStats> {
  const data = await loadDataset(workspace, req.datasetId);
  const { counts, classes } = data.manifest;
  const tokenizer = req.tokenizer ?? data.manifest.defaultTokenizer;
  const out: DatasetStats = {
    datasetId: req.datasetId,
    classCounts: {
      train: classCounts(data.labels, splitRange(counts, 'train'), classes.length),
      test: classCounts(data.labels, splitRange(counts, 'test'), classes.length),
    },
    tokenizer: { ...tokenizer },
  };
  const cache = await findTokenCacheManifest(workspace, req.datasetId, tokenizer);
  if (cache) {
    const { mean, min, max, histogram } = cache.all.lengths;
    out.lengths = { mean, min, max, histogram: { ...histogram, counts: [...histogram.counts] } };
    out.startExponents = { ...cache.all.startExponents };
  }
  return out;
}

/** Every source path exists and, in browser mode, lies in the imports folder; returns the request with resolved paths. */
async function checkImportPaths(ctx: ServiceContext, req: ImportRequest): Promise<ImportRequest> {
  const s = req.source;
  const fix = async (path: string | undefined): Promise<string | undefined> => {
    if (path === undefined) return undefined;
    const resolved = await confinePath(ctx, path, 'import');
    if (!(await fs.stat(resolved).catch(() => undefined))) throw new StudioError('NOT_FOUND', `${path}: no such file or folder`);
    return resolved;
  };
  if (s.kind === 'idx') {
    return { ...req, source: { ...s, images: (await fix(s.images))!, labels: (await fix(s.labels))!, testImages: await fix(s.testImages), testLabels: await fix(s.testLabels) } };
  }
  if (s.kind === 'npy') return { ...req, source: { ...s, images: (await fix(s.images))!, labels: await fix(s.labels) } };
  const path = (await fix(s.path))!;
  if (s.kind === 'csv') await confineCsvRows(ctx, path);
  return { ...req, source: { ...s, path } };
}

export function createDatasetHandlers(ctx: ServiceContext): Pick<StudioHandlers, DatasetChannel> {
  const ws = ctx.workspace;
  return {
    'datasets.list': async () => (await listDatasets(ws)).map(toSummary),
    'datasets.page': (req) => page(ws, req),
    'datasets.item': (req) => item(ws, req),
    'datasets.stats': (req) => stats(ws, req),
    'datasets.remove': async (req) => {
      await removeDataset(ws, req.datasetId);
      forgetTokenCaches();
      return { removed: true };
    },
    'datasets.import': async (req) => {
      return ctx.jobs.start('import', await checkImportPaths(ctx, req));
    },
    'datasets.buildTokens': async (req) => {
      await getManifest(ws, req.datasetId);
      return ctx.jobs.start('tokenize', req);
    },
  };
}
