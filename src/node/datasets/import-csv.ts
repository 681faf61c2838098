/**
 * CSV importer: one row per image, `path,label`; paths relative to the CSV's folder; an
 * optional header line (path/file/filename/image, label/class). Fields may be quoted with
 * double quotes. Labels are class names, or integers 0..999. A bad row is a BAD_FILE error
 * naming the CSV and the row (line number, 1-based).
 * Used by: node/datasets/importers.ts.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DatasetManifest } from '../../core/data/dataset';
import { checkNumericLabel, storeImport, type ImportProgress } from './assemble';
import { badFile } from './errors';
import { readInputFile } from './files';
import { decodeAll, type DecodeJob } from './images';

export interface CsvSource {
  kind: 'csv';
  path: string;
  maxSize: number;
  resize: boolean;
}

/** Splits one CSV line into fields (double quotes, "" inside quotes); undefined when malformed. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined; // unterminated quote
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        value += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
      fields.push(value);
      i++;
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      fields.push(line.slice(i, stop).trim());
      i = stop + 1;
    }
  }
  return fields;
}

const HEADER_PATHS = new Set(['path', 'file', 'filename', 'image', 'images']);
const HEADER_LABELS = new Set(['label', 'labels', 'class', 'classes']);

export interface CsvRow {
  line: number;
  path: string;
  label: string;
}

/** Parses the CSV text into rows; every defect names the file and the line. */
export function parseCsvRows(text: string, file: string): CsvRow[] {
  if (text.includes('\u0000')) throw badFile(file, 'is not a text file (it contains NUL bytes)');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: CsvRow[] = [];
  const firstContent = lines.findIndex((l) => l.trim() !== '');
  lines.forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    const fields = splitCsvLine(raw);
    if (!fields) throw badFile(file, `row ${line}: unreadable (unbalanced quotes): ${JSON.stringify(raw.slice(0, 80))}`);
    if (k === firstContent && fields.length === 2 &&
      HEADER_PATHS.has(fields[0].toLowerCase()) && HEADER_LABELS.has(fields[1].toLowerCase())) return;
    if (fields.length !== 2) throw badFile(file, `row ${line}: expected 2 fields (path,label), found ${fields.length}: ${JSON.stringify(raw.slice(0, 80))}`);
    const [path, label] = fields;
    if (path === '') throw badFile(file, `row ${line}: the path is empty`);
    if (label === '') throw badFile(file, `row ${line}: the label is empty`);
    if (/^[-+]?\d+(\.\d+)?$/.test(label)) checkNumericLabel(Number(label), `${file}: row ${line}`);
    rows.push({ line, path, label: /^\+?\d+$/.test(label) ? String(Number(label)) : label });
  });
  if (rows.length === 0) throw badFile(file, 'holds no rows');
  return rows;
}

export async function importCsv(workspace: string, name: string, source: CsvSource, testFraction: number, progress: ImportProgress): Promise<DatasetManifest> {
  const bytes = await readInputFile(source.path);
  const rows = parseCsvRows(new TextDecoder('utf-8').decode(bytes), source.path);
  const base = dirname(resolve(source.path));
  const jobs: DecodeJob[] = rows.map((r) => ({
    path: isAbsolute(r.path) ? r.path : resolve(base, r.path),
    context: `${source.path}: row ${r.line}: `,
  }));
  const total = jobs.length;
  progress.onProgress?.(0, total, 'decoding');
  const { size, images } = await decodeAll(jobs, source, (done) => progress.onProgress?.(done, total, 'decoding'), progress.signal);
  return storeImport(workspace, {
    name,
    source: `CSV ${source.path}`,
    notes: [],
    width: size.width,
    height: size.height,
    images,
    labelValues: rows.map((r) => r.label),
    testFraction,
  }, progress);
}
