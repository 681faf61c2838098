/**
 * Image-folder importer: <path>/<class name>/<image files>. Classes are the subfolder names
 * (numeric names in numeric order, others alphabetically); files are read in natural name
 * order; files that are not PNG / JPEG / WebP by name are skipped and counted in the notes.
 * Used by: node/datasets/importers.ts.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { classesFromValues, type DatasetManifest } from '../../core/data/dataset';
import { StudioError } from '../../shared/result';
import { MAX_CLASSES, storeImport, type ImportProgress } from './assemble';
import { badFile, messageOf } from './errors';
import { decodeAll, hasImageExtension, type DecodeJob } from './images';

export interface FolderSource {
  kind: 'folder';
  path: string;
  maxSize: number;
  resize: boolean;
}

const naturalOrder = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

async function listFolder(path: string): Promise<{ dirs: string[]; files: string[] }> {
  let entries;
  try {
    entries = await fs.readdir(path, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('NOT_FOUND', `${path}: no such folder`);
    throw badFile(path, `cannot be read as a folder (${messageOf(e)})`);
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  return {
    dirs: visible.filter((e) => e.isDirectory()).map((e) => e.name),
    files: visible.filter((e) => e.isFile()).map((e) => e.name).sort(naturalOrder),
  };
}

/** The images to decode, with their class value, plus notes on what was skipped. */
async function collect(path: string): Promise<{ jobs: DecodeJob[]; values: string[]; notes: string[] }> {
  const top = await listFolder(path);
  if (top.dirs.length === 0) throw badFile(path, 'has no class subfolders; put the images of each class in a subfolder named after the class');
  if (top.dirs.length > MAX_CLASSES) throw badFile(path, `has ${top.dirs.length} subfolders; at most ${MAX_CLASSES} classes are supported`);
  const { classes } = classesFromValues(top.dirs);
  const jobs: DecodeJob[] = [];
  const values: string[] = [];
  const notes: string[] = [];
  let skipped = 0;
  const emptyClasses: string[] = [];
  for (const cls of classes) {
    const inner = await listFolder(join(path, cls));
    const images = inner.files.filter(hasImageExtension);
    skipped += inner.files.length - images.length;
    if (images.length === 0) emptyClasses.push(cls);
    for (const file of images) {
      jobs.push({ path: join(path, cls, file), context: '' });
      values.push(cls);
    }
  }
  if (top.files.length > 0) notes.push(`${top.files.length} files beside the class folders ignored`);
  if (skipped > 0) notes.push(`${skipped} files that are not PNG, JPEG or WebP skipped`);
  if (emptyClasses.length > 0) notes.push(`class folders without images left out: ${emptyClasses.join(', ')}`);
  if (jobs.length === 0) throw badFile(path, 'its class subfolders hold no PNG, JPEG or WebP images');
  return { jobs, values, notes };
}

export async function importFolder(workspace: string, name: string, source: FolderSource, testFraction: number, progress: ImportProgress): Promise<DatasetManifest> {
  const { jobs, values, notes } = await collect(source.path);
  const total = jobs.length;
  progress.onProgress?.(0, total, 'decoding');
  const { size, images } = await decodeAll(jobs, source, (done) => progress.onProgress?.(done, total, 'decoding'), progress.signal);
  return storeImport(workspace, {
    name,
    source: `folder ${source.path}`,
    notes,
    width: size.width,
    height: size.height,
    images,
    labelValues: values,
    testFraction,
  }, progress);
}
