/**
 * Datasets on disk: <workspace>/datasets/<id>/ holds manifest.json, images.u8 (uint8
 * [N, H, W], train then test) and labels.u16 (uint16 little-endian [N]). Writes are atomic:
 * everything goes to a hidden temp folder that is renamed into place at the end, so an
 * interrupted or failed import leaves nothing (stale temp folders of dead processes are
 * swept on the next write).
 * Used by: node/datasets/catalog.ts, builtins.ts (Fashion-MNIST cache), importers, tests.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../shared/result';
import { DATASET_SCHEMA_VERSION, type DatasetArrays, type DatasetManifest } from '../../core/data/dataset';
import { workspaceLayout } from '../workspace';
import { isProcessAlive } from '../process-alive';
import { badFile, throwIfAborted } from './errors';
import { uint16FromLeBytes, uint16ToLeBytes } from './le-bytes';
import { contentHash, isBuiltinId, parseManifest } from './manifest';

export const MANIFEST_FILE = 'manifest.json';
export const IMAGES_FILE = 'images.u8';
export const LABELS_FILE = 'labels.u16';
const TEMP_PREFIX = '.tmp-';

/** A dataset ready to be stored: everything of the manifest except what the store fills in. */
export type NewDataset = Omit<DatasetManifest, 'schemaVersion' | 'id' | 'contentHash' | 'created'> & {
  images: Uint8Array;
  labels: Uint16Array;
};

export function datasetsRoot(workspace: string): string {
  return workspaceLayout(workspace).datasets;
}

export function datasetDir(workspace: string, id: string): string {
  return join(datasetsRoot(workspace), id);
}

/** Removes temp folders left by processes that died mid-write. */
export async function sweepStaleTemps(root: string): Promise<void> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^\.tmp-(\d+)-/.exec(name)?.[1]);
    if (name.startsWith(TEMP_PREFIX) && Number.isFinite(pid) && !isProcessAlive(pid)) {
      await fs.rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** A fresh temp folder under `root`, named after this process so sweeps know its owner. */
export async function makeTempDir(root: string): Promise<string> {
  await fs.mkdir(root, { recursive: true });
  const dir = join(root, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(dir);
  return dir;
}

function isTakenError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES';
}

export interface WriteOptions {
  /** Id to use; with `exact` it must be free, else "-2", "-3", ... are tried. */
  id: string;
  exact?: boolean;
  signal?: AbortSignal;
}

/** Stores a dataset atomically; returns its manifest (id, hash and date filled in). */
export async function writeDataset(workspace: string, data: NewDataset, options: WriteOptions): Promise<DatasetManifest> {
  const root = datasetsRoot(workspace);
  await sweepStaleTemps(root);
  const temp = await makeTempDir(root);
  try {
    const { images, labels, ...meta } = data;
    const hash = contentHash({ ...meta, images, labels });
    await fs.writeFile(join(temp, IMAGES_FILE), images);
    await fs.writeFile(join(temp, LABELS_FILE), uint16ToLeBytes(labels));
    for (let attempt = 1; attempt < 1000; attempt++) {
      const id = attempt === 1 ? options.id : `${options.id}-${attempt}`;
      if (!options.exact && isBuiltinId(id)) continue;
      const manifest: DatasetManifest = { schemaVersion: DATASET_SCHEMA_VERSION, id, ...meta, contentHash: hash, created: new Date().toISOString() };
      await fs.writeFile(join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      throwIfAborted(options.signal, 'the import');
      try {
        await fs.rename(temp, join(root, id));
        return manifest;
      } catch (e) {
        if (!isTakenError(e)) throw e;
        if (options.exact) throw new StudioError('CONFLICT', `a dataset with id "${id}" already exists`);
      }
    }
    throw new StudioError('CONFLICT', `no free dataset id for "${options.id}"`);
  } finally {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Reads and checks manifest.json of a stored dataset. */
export async function readStoredManifest(workspace: string, id: string): Promise<DatasetManifest> {
  const file = join(datasetDir(workspace, id), MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new StudioError('NOT_FOUND', `no dataset "${id}" in ${datasetsRoot(workspace)}`);
  }
  const manifest = parseManifest(text, file);
  if (manifest.id !== id) throw badFile(file, `says id "${manifest.id}" but lives in folder "${id}"`);
  return manifest;
}

/** Loads a stored dataset's arrays, checking their sizes and label range against the manifest. */
export async function loadStoredDataset(workspace: string, id: string): Promise<DatasetArrays> {
  const manifest = await readStoredManifest(workspace, id);
  const dir = datasetDir(workspace, id);
  const n = manifest.counts.train + manifest.counts.test;
  const imagesFile = join(dir, IMAGES_FILE);
  const labelsFile = join(dir, LABELS_FILE);
  const imageBuf = await fs.readFile(imagesFile).catch(() => {
    throw badFile(imagesFile, 'missing or unreadable');
  });
  const expected = n * manifest.width * manifest.height;
  if (imageBuf.length !== expected) throw badFile(imagesFile, `holds ${imageBuf.length} bytes, the manifest implies ${expected}`);
  const labelBuf = await fs.readFile(labelsFile).catch(() => {
    throw badFile(labelsFile, 'missing or unreadable');
  });
  if (labelBuf.length !== 2 * n) throw badFile(labelsFile, `holds ${labelBuf.length} bytes, the manifest implies ${2 * n}`);
  const labels = uint16FromLeBytes(labelBuf);
  for (let i = 0; i < n; i++) {
    if (labels[i] >= manifest.classes.length) throw badFile(labelsFile, `label ${labels[i]} at index ${i} is out of range (${manifest.classes.length} classes)`);
  }
  return { manifest, images: new Uint8Array(imageBuf.buffer, imageBuf.byteOffset, imageBuf.byteLength), labels };
}

/** Manifests of every stored dataset (unreadable folders are skipped). */
export async function listStoredManifests(workspace: string): Promise<DatasetManifest[]> {
  const names = await fs.readdir(datasetsRoot(workspace)).catch(() => [] as string[]);
  const out: DatasetManifest[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const manifest = await readStoredManifest(workspace, name).catch(() => undefined);
    if (manifest) out.push(manifest);
  }
  return out;
}

/** Deletes a stored dataset's folder (renamed away first, so readers never see half of it). */
export async function removeStoredDataset(workspace: string, id: string): Promise<void> {
  await readStoredManifest(workspace, id);
  const root = datasetsRoot(workspace);
  const doomed = join(root, `${TEMP_PREFIX}${process.pid}-rm-${randomBytes(4).toString('hex')}`);
  await fs.rename(datasetDir(workspace, id), doomed);
  await fs.rm(doomed, { recursive: true, force: true });
}
