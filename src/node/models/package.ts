/**
 * The model package: one zip file carrying a trained model between machines.
 * Contents: manifest.json (schemaVersion, kind 'wavelet-studio-model', created, and the
 * size and sha256 of every other file) plus the model folder's files under their own
 * relative paths: the checkpoint (weights in the TensorFlow.js layout, model / train /
 * tokenizer configs, class names, start-exponent histograms), the run's config and the
 * eval report when present. The packer is generic: it takes whatever files the engine
 * wrote, so a file added later travels without a change here.
 * Import checks everything before anything lands in the workspace, and lands atomically.
 * Used by: cli export / import-model, node/service (models.export / models.import).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { strToU8, strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { StudioError } from '../../shared/result';
import { atomicWriteFile, ensureWorkspace } from '../workspace';
import { LOCK_FILE } from '../runs/lock';

export const PACKAGE_SCHEMA_VERSION = 1;
export const PACKAGE_KIND = 'wavelet-studio-model';
export const MANIFEST_NAME = 'manifest.json';
/** Largest total unpacked size accepted (refuses zip bombs before inflating). */
export const MAX_PACKAGE_BYTES = 2 ** 31 - 1;

export interface PackageFileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface PackageManifest {
  schemaVersion: number;
  kind: typeof PACKAGE_KIND;
  created: string;
  /** Suggested id for the imported model (the folder name it was exported from). */
  name: string;
  files: PackageFileEntry[];
}

export interface ImportedModel {
  modelId: string;
  dir: string;
  manifest: PackageManifest;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const badFile = (file: string, detail: string): StudioError => new StudioError('BAD_FILE', `${file}: ${detail}`);

/**
 * Names that never travel: hidden and temp files of atomic writes, a checkpoint being
 * written (checkpoint.tmp-*), the previous checkpoint kept only for crash recovery, and the
 * lock of a run being trained.
 */
function isTransient(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp') || name.startsWith('checkpoint.tmp-') || name === 'checkpoint.prev' || name === LOCK_FILE;
}

/** Relative paths (forward slashes, sorted) of the files a model folder contributes to its package. */
export async function listModelFiles(modelDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (isTransient(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(relative(modelDir, full).split(sep).join('/'));
    }
  };
  try {
    await walk(modelDir);
  } catch (e) {
    throw new StudioError('NOT_FOUND', `model folder ${modelDir} cannot be read: ${(e as Error).message}`);
  }
  if (out.length === 0) throw new StudioError('NOT_FOUND', `model folder ${modelDir} holds no files`);
  return out.sort();
}

/** Writes the package of `modelDir` to `outFile` atomically; returns its size in bytes. */
export async function exportModelPackage(modelDir: string, outFile: string, now: Date = new Date(), options: { replace?: boolean } = {}): Promise<{ path: string; bytes: number; manifest: PackageManifest }> {
  const paths = await listModelFiles(modelDir);
  const zippable: Zippable = {};
  const files: PackageFileEntry[] = [];
  for (const path of paths) {
    if (path === MANIFEST_NAME) continue; // a folder made by an import keeps its old manifest out
    const data = new Uint8Array(await fs.readFile(join(modelDir, ...path.split('/'))));
    files.push({ path, bytes: data.length, sha256: sha256(data) });
    zippable[path] = [data, { level: path.endsWith('.bin') ? 0 : 6 }]; // float weights barely compress
  }
  const manifest: PackageManifest = {
    schemaVersion: PACKAGE_SCHEMA_VERSION, kind: PACKAGE_KIND, created: now.toISOString(), name: basename(modelDir), files,
  };
  zippable[MANIFEST_NAME] = [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { level: 6 }];
  const zip = zipSync(zippable, { mtime: now });
  try {
    await atomicWriteFile(outFile, zip, options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StudioError('CONFLICT', `${outFile}: a file of that name exists and is not replaced`);
    throw e;
  }
  return { path: outFile, bytes: zip.length, manifest };
}

function isSafePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Parses and checks manifest.json; every problem is a BAD_FILE naming the package. */
export function parseManifest(file: string, bytes: Uint8Array | undefined): PackageManifest {
  if (!bytes) throw badFile(file, `not a model package: the zip holds no ${MANIFEST_NAME}`);
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(bytes));
  } catch (e) {
    throw badFile(file, `${MANIFEST_NAME} is not valid JSON (${(e as Error).message})`);
  }
  const m = value as Partial<PackageManifest> | null;
  if (m === null || typeof m !== 'object') throw badFile(file, `${MANIFEST_NAME} is not an object`);
  if (m.kind !== PACKAGE_KIND) throw badFile(file, `not a model package: kind is ${JSON.stringify(m.kind)}, expected "${PACKAGE_KIND}"`);
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) throw badFile(file, 'manifest has no valid schemaVersion');
  if (m.schemaVersion > PACKAGE_SCHEMA_VERSION) {
    throw badFile(file, `package schema version ${m.schemaVersion} is newer than this studio supports (${PACKAGE_SCHEMA_VERSION}); update Wavelet Studio`);
  }
  if (!Array.isArray(m.files) || typeof m.created !== 'string') throw badFile(file, 'manifest lacks "files" or "created"');
  for (const f of m.files as unknown[]) {
    const e = f as Partial<PackageFileEntry> | null;
    if (!e || typeof e.path !== 'string' || !isSafePath(e.path) || e.path === MANIFEST_NAME || typeof e.bytes !== 'number' || typeof e.sha256 !== 'string') {
      throw badFile(file, `manifest entry ${JSON.stringify(f)} is not a safe {path, bytes, sha256}`);
    }
  }
  return m as PackageManifest;
}

/** Unzips in memory, refusing unsafe names and oversized contents before inflating. */
function unzipChecked(file: string, bytes: Uint8Array): Record<string, Uint8Array> {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw badFile(file, 'not a model package (not a zip file)');
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (info) => {
        if (!isSafePath(info.name) && !info.name.endsWith('/')) throw badFile(file, `unsafe path in zip: ${JSON.stringify(info.name)}`);
        total += info.originalSize;
        if (total > MAX_PACKAGE_BYTES) throw badFile(file, 'unpacked size exceeds the 2 GiB limit');
        return !info.name.endsWith('/');
      },
    });
  } catch (e) {
    if (e instanceof StudioError) throw e;
    throw badFile(file, `damaged or truncated zip (${(e as Error).message})`);
  }
}

/** Checks that the zip holds exactly the manifest's files with the right sizes and hashes. */
function verifyContents(file: string, manifest: PackageManifest, entries: Record<string, Uint8Array>): void {
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of Object.keys(entries)) {
    if (name !== MANIFEST_NAME && !listed.has(name)) throw badFile(file, `zip entry ${name} is not listed in the manifest`);
  }
  for (const entry of manifest.files) {
    const data = entries[entry.path];
    if (!data) throw badFile(file, `${entry.path} is listed in the manifest but missing from the zip`);
    if (data.length !== entry.bytes) throw badFile(file, `${entry.path} has ${data.length} bytes, the manifest says ${entry.bytes}`);
    if (sha256(data) !== entry.sha256) throw badFile(file, `${entry.path} does not match its sha256 in the manifest (damaged file)`);
  }
}

function sanitiseId(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 80);
  return cleaned === '' ? 'model' : cleaned;
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(() => true, () => false);
}

/**
 * Imports a package into workspace/models/<id> (a fresh id: name, name-2, ...). Everything
 * is verified in memory first, then written to a hidden folder that is renamed into place,
 * so a failure leaves nothing behind.
 */
export async function importModelPackage(file: string, workspace: string): Promise<ImportedModel> {
  let bytes: Uint8Array;
  // a plain file of sane size only: a FIFO or device would block the reader forever
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat && !stat.isFile()) throw badFile(file, 'is not a regular file');
  if (stat && stat.size > MAX_PACKAGE_BYTES) throw badFile(file, 'is larger than the 2 GiB package limit');
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    throw new StudioError('NOT_FOUND', `cannot read model package ${file}: ${(e as Error).message}`);
  }
  const entries = unzipChecked(file, bytes);
  const manifest = parseManifest(file, entries[MANIFEST_NAME]);
  verifyContents(file, manifest, entries);
  const layout = await ensureWorkspace(workspace);
  const base = sanitiseId(manifest.name || basename(file).replace(/\.[^.]*$/, ''));
  let modelId = base;
  const taken = async (id: string): Promise<boolean> => (await exists(join(layout.models, id))) || (await exists(join(layout.runs, id)));
  for (let n = 2; await taken(modelId); n++) modelId = `${base}-${n}`; // never shadowed by (or shadowing) a run of the same name
  const staging = join(layout.models, `.import-${randomBytes(6).toString('hex')}.tmp`);
  const target = join(layout.models, modelId);
  try {
    for (const entry of [...manifest.files, { path: MANIFEST_NAME }]) {
      const path = join(staging, ...entry.path.split('/'));
      await fs.mkdir(join(path, '..'), { recursive: true });
      await fs.writeFile(path, entries[entry.path]);
    }
    await fs.rename(staging, target);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw new StudioError('INTERNAL', `could not write the imported model to ${target}: ${(e as Error).message}`);
  }
  return { modelId, dir: target, manifest };
}
