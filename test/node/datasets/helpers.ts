/**
 * Helpers of the dataset tests: throw-away workspaces and fixture paths.
 * Used by: test/node/datasets/*.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', '..', 'fixtures');
export const GOOD = join(FIXTURES, 'import');
export const BAD = join(FIXTURES, 'bad');

/** A fresh empty workspace folder; call the returned cleanup in afterEach. */
export function tempWorkspace(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'ws-datasets-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Entries of <workspace>/datasets (hidden temp folders included). */
export function datasetEntries(root: string): string[] {
  try {
    return readdirSync(join(root, 'datasets'));
  } catch {
    return [];
  }
}
