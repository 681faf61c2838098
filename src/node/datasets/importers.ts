/**
 * The one entry to imports: validates a 'datasets.import' request and runs the importer of
 * its kind (idx, folder, npy, csv). The result is stored atomically in the workspace or
 * nothing is (failure and cancellation leave no trace).
 * Used by: worker/jobs/import.ts, cli/commands/import.ts, tests.
 */
import type { DatasetManifest } from '../../core/data/dataset';
import type { ParsedRequestOf } from '../../shared/api';
import { StudioError } from '../../shared/result';
import { datasetImportSchema } from '../../shared/schemas';
import { describeIssues } from '../../shared/validation';
import { ensureWorkspace } from '../workspace';
import type { ImportProgress } from './assemble';
import { importCsv } from './import-csv';
import { importFolder } from './import-folder';
import { importIdx } from './import-idx';
import { importNpy } from './import-npy';

export type ImportRequest = ParsedRequestOf<'datasets.import'>;

/** Parses an import request (unknown keys and bad values are BAD_REQUEST). */
export function parseImportRequest(request: unknown): ImportRequest {
  const parsed = datasetImportSchema.safeParse(request);
  if (!parsed.success) throw new StudioError('BAD_REQUEST', `import request: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Runs an import; returns the manifest of the new dataset. */
export async function runImport(workspace: string, request: unknown, progress: ImportProgress = {}): Promise<DatasetManifest> {
  const req = parseImportRequest(request);
  await ensureWorkspace(workspace);
  const { name, source, testFraction } = req;
  switch (source.kind) {
    case 'idx':
      return importIdx(workspace, name, source, testFraction, progress);
    case 'npy':
      return importNpy(workspace, name, source, testFraction, progress);
    case 'folder':
      return importFolder(workspace, name, source, testFraction, progress);
    case 'csv':
      return importCsv(workspace, name, source, testFraction, progress);
  }
}
