/**
 * manifest.json of a stored dataset: its zod schema (unknown keys rejected, the schema
 * version checked), the content hash, and the ids: slugs from names, reserved built-in ids.
 * Used by: node/datasets/store.ts, builtins.ts, importers.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { tokenizerConfigSchema } from '../../shared/schemas';
import { describeIssues } from '../../shared/validation';
import { DATASET_SCHEMA_VERSION, type DatasetManifest, type SplitCounts } from '../../core/data/dataset';
import { badFile } from './errors';

export const BUILTIN_IDS = ['mnist', 'fashion-mnist'] as const;
export type BuiltinId = (typeof BUILTIN_IDS)[number];

export function isBuiltinId(id: string): id is BuiltinId {
  return (BUILTIN_IDS as readonly string[]).includes(id);
}

const manifestSchema = z.strictObject({
  schemaVersion: z.literal(DATASET_SCHEMA_VERSION),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/),
  name: z.string().min(1),
  builtin: z.boolean(),
  classes: z.array(z.string()).min(1).max(1000),
  width: z.number().int().min(1).max(256),
  height: z.number().int().min(1).max(256),
  counts: z.strictObject({ train: z.number().int().min(0), test: z.number().int().min(0) }),
  source: z.string(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  created: z.string(),
  defaultTokenizer: tokenizerConfigSchema,
  notes: z.array(z.string()),
});

/** Parses and checks manifest.json text; `file` names it in errors. */
export function parseManifest(text: string, file: string): DatasetManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw badFile(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw badFile(file, `not a dataset manifest of schema ${DATASET_SCHEMA_VERSION}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export interface HashInput {
  width: number;
  height: number;
  classes: readonly string[];
  counts: SplitCounts;
  images: Uint8Array;
  labels: Uint16Array;
}

/** sha256 over the shape, the class names, the split counts, the pixels and the labels. */
export function contentHash(input: HashInput): string {
  const hash = createHash('sha256');
  const { width, height, classes, counts } = input;
  hash.update(JSON.stringify({ width, height, classes, counts }));
  hash.update(input.images);
  hash.update(new Uint8Array(input.labels.buffer, input.labels.byteOffset, input.labels.byteLength));
  return hash.digest('hex');
}

/** A dataset id from a free-text name: lowercase letters, digits, . _ - (max 64 chars). */
export function slugFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return slug === '' ? 'dataset' : slug;
}
