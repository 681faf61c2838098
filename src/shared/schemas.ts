/**
 * Request schemas of every StudioApi call, and the DTO types they imply. One source of
 * truth: main's IPC handlers, the browser-mode server and the CLI all validate incoming
 * payloads with these schemas (unknown keys are rejected everywhere).
 * Used by: shared/api.ts, main, node/server, node/service, cli, renderer (types only).
 */
import { z } from 'zod';

export const waveletNameSchema = z.enum(['haar', 'bior4.4', 'bior2.2']);
export type WaveletName = z.infer<typeof waveletNameSchema>;

export const variantSchema = z.enum(['blocks', 'zerotree']);
export type CoderVariant = z.infer<typeof variantSchema>;

/** Tokenizer config: wavelet, log2 of the final threshold Tf, coder variant. */
export const tokenizerConfigSchema = z.strictObject({
  wavelet: waveletNameSchema,
  finalExponent: z.number().int().min(-12).max(8),
  variant: variantSchema,
});
export type TokenizerConfigDto = z.infer<typeof tokenizerConfigSchema>;

export const splitSchema = z.enum(['train', 'test', 'all']);
export type Split = z.infer<typeof splitSchema>;

const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, 'ids are letters, digits, . _ -');
const seedSchema = z.number().int().min(0).max(2 ** 32 - 1);
const pathSchema = z.string().min(1).max(4096);
const classSchema = z.number().int().min(0).max(999);

export const emptySchema = z.strictObject({});

export const datasetPageSchema = z.strictObject({
  datasetId: idSchema,
  split: splitSchema,
  label: classSchema.nullable().default(null),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
});

export const datasetItemSchema = z.strictObject({
  datasetId: idSchema,
  split: splitSchema,
  index: z.number().int().min(0),
  tokenizer: tokenizerConfigSchema.optional(),
});

export const datasetStatsSchema = z.strictObject({
  datasetId: idSchema,
  tokenizer: tokenizerConfigSchema.optional(),
});

export const datasetImportSchema = z.strictObject({
  name: z.string().min(1).max(120),
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('idx'), images: pathSchema, labels: pathSchema, testImages: pathSchema.optional(), testLabels: pathSchema.optional() }),
    z.strictObject({ kind: z.literal('folder'), path: pathSchema, maxSize: z.number().int().min(8).max(256).default(256), resize: z.boolean().default(false) }),
    z.strictObject({ kind: z.literal('npy'), images: pathSchema, labels: pathSchema.optional() }),
    z.strictObject({ kind: z.literal('csv'), path: pathSchema, maxSize: z.number().int().min(8).max(256).default(256), resize: z.boolean().default(false) }),
  ]),
  testFraction: z.number().min(0).max(0.5).default(0.1),
});

export const datasetRefSchema = z.strictObject({ datasetId: idSchema });

export const tokenCacheSchema = z.strictObject({
  datasetId: idSchema,
  tokenizer: tokenizerConfigSchema,
});

export const presetNameSchema = z.enum(['tiny', 'small', 'paper']);

/** Config overrides by key (checked key by key in core); short keys and values, a few dozen at most. */
const overridesSchema = z.record(z.string().max(64), z.union([z.number(), z.boolean(), z.string().max(256)]))
  .refine((r) => Object.keys(r).length <= 64, { message: 'at most 64 overrides' });

export const trainStartSchema = z.strictObject({
  runId: idSchema.optional(), // resume this run when given, else a new one is created
  datasetId: idSchema,
  tokenizer: tokenizerConfigSchema,
  preset: presetNameSchema,
  /** Overrides of the preset's model and training fields; validated by core against its defaults. */
  model: overridesSchema.default({}),
  train: overridesSchema.default({}),
  backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  seed: seedSchema.default(0),
  /** A model id (run, imported or starter) whose weights start the new run; its architecture is kept. */
  initFrom: idSchema.optional(),
});

export const jobRefSchema = z.strictObject({ jobId: idSchema });
export const runRefSchema = z.strictObject({ runId: idSchema });
export const modelRefSchema = z.strictObject({ modelId: idSchema });

export const samplingSchema = z.strictObject({
  temperature: z.number().min(0).max(10).default(1),
  topK: z.number().int().min(0).max(7).default(0), // 0 = off
  topP: z.number().gt(0).max(1).default(1), // 1 = off
  guidance: z.number().min(0).max(10).default(1), // classifier-free guidance scale, 1 = off
  guidancePlanes: z.number().int().min(0).max(64).optional(), // guidance interval: leading bit-planes guided; absent or 0 = all
});
export type SamplingDto = z.infer<typeof samplingSchema>;

/** A sentence of the wavelet language: token ids 0..6 and its start exponent log2 T0. */
export const sentenceSchema = z.strictObject({
  tokens: z.array(z.number().int().min(0).max(6)).max(1 << 20),
  startExponent: z.number().int().min(-30).max(30),
});
export type SentenceDto = z.infer<typeof sentenceSchema>;

export const sampleStartSchema = z.strictObject({
  modelId: idSchema,
  classIndex: classSchema,
  count: z.number().int().min(1).max(256).default(1),
  startExponent: z.number().int().min(-30).max(30).nullable().default(null), // null: drawn from the class histogram
  sampling: samplingSchema.prefault({}),
  seed: seedSchema.default(0),
  /** Rollback: keep the first `from` tokens of `prefix` and continue from there. */
  prefix: sentenceSchema.optional(),
  from: z.number().int().min(0).optional(),
  robustStart: z.boolean().default(false),
  previewEvery: z.number().int().min(1).max(100000).default(64),
}).refine((r) => r.from === undefined || (r.prefix !== undefined && r.from <= r.prefix.tokens.length), {
  message: '`from` needs a `prefix` at least that long',
  path: ['from'],
});

export const maskSchema = z.strictObject({
  width: z.number().int().min(1).max(256),
  height: z.number().int().min(1).max(256),
  /** Row-major, one char per pixel: '1' inside the region, '0' outside. */
  bits: z.string().max(256 * 256).regex(/^[01]*$/),
}).refine((m) => m.bits.length === m.width * m.height, { message: 'the mask needs exactly width x height bits', path: ['bits'] });
export type MaskDto = z.infer<typeof maskSchema>;

export const editStartSchema = z.strictObject({
  modelId: idSchema,
  source: sentenceSchema,
  mask: maskSchema,
  selection: z.enum(['touching', 'contained']).default('touching'),
  levels: z.array(z.number().int().min(0).max(16)).max(17).optional(), // undefined: all
  subbands: z.array(z.enum(['LL', 'TR', 'BL', 'BR'])).max(4).optional(),
  planes: z.array(z.number().int().min(0).max(64)).max(65).optional(),
  classIndex: classSchema,
  regionClass: classSchema.optional(),
  count: z.number().int().min(1).max(64).default(4),
  sampling: samplingSchema.prefault({}),
  seed: seedSchema.default(0),
});

export const evalStartSchema = z.strictObject({
  modelId: idSchema,
  samples: z.number().int().min(10).max(100000).default(1000),
  seed: seedSchema.default(0),
  sampling: samplingSchema.prefault({}),
});

export const modelExportSchema = z.strictObject({ modelId: idSchema, path: pathSchema });
export const modelImportSchema = z.strictObject({ path: pathSchema });

/** What a native file dialog is opened for; decides open vs save, file vs folder. */
export const pickPurposeSchema = z.enum(['import-file', 'import-folder', 'import-model', 'export-model']);
export type PickPurpose = z.infer<typeof pickPurposeSchema>;

export const pickPathSchema = z.strictObject({
  purpose: pickPurposeSchema,
  title: z.string().min(1).max(200).optional(),
  filters: z.array(z.strictObject({
    name: z.string().min(1).max(80),
    extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/)).min(1).max(16),
  })).max(16).optional(),
});

export type DatasetPageRequest = z.infer<typeof datasetPageSchema>;
export type DatasetItemRequest = z.infer<typeof datasetItemSchema>;
export type DatasetStatsRequest = z.infer<typeof datasetStatsSchema>;
export type PickPathRequest = z.infer<typeof pickPathSchema>;
export type DatasetImportRequest = z.input<typeof datasetImportSchema>;
export type TokenCacheRequest = z.infer<typeof tokenCacheSchema>;
export type TrainStartRequest = z.input<typeof trainStartSchema>;
export type SampleStartRequest = z.input<typeof sampleStartSchema>;
export type EditStartRequest = z.input<typeof editStartSchema>;
export type EvalStartRequest = z.input<typeof evalStartSchema>;
