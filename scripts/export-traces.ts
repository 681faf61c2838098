/**
 * Writes the trace (the slot of every token: plane, row, col, level, subband, kind) of the
 * sentences [from, to) of a token-cache folder, for scripts/torch-train.py, which builds
 * the model's input features from it on a GPU.
 *
 *   npx tsx scripts/export-traces.ts <token-cache-dir> <out-file> [from] [to]
 *
 * Output: six int16 arrays back to back (plane, row, col, level, subband, kind), each with
 * one entry per token of those sentences, little-endian. Slot i of a sentence is the slot
 * of its token i (core/language traceSentence; the slot after the last token is not kept).
 * Bundled with esbuild, it runs under plain node on a machine without node_modules; so it
 * reads the cache files itself (node/datasets' reader comes with the dataset loaders and
 * their packages) and imports only core/language.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceSentence } from '../src/core/language';
import type { Geometry, TokenizerConfig } from '../src/core/language/types';

const [dir, out, fromArg, toArg] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: export-traces <token-cache-dir> <out-file> [from] [to]');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tokenizer: TokenizerConfig; geometry: Geometry };
const rawOffsets = readFileSync(join(dir, 'offsets.u32'));
const offsets = new Uint32Array(rawOffsets.buffer.slice(rawOffsets.byteOffset, rawOffsets.byteOffset + rawOffsets.byteLength));
const tokens = new Uint8Array(readFileSync(join(dir, 'tokens.bin')));
const rawExps = readFileSync(join(dir, 'start-exponents.i8'));
const exps = new Int8Array(rawExps.buffer, rawExps.byteOffset, rawExps.byteLength);
const count = offsets.length - 1;
const from = fromArg === undefined ? 0 : Number(fromArg);
const to = toArg === undefined ? count : Number(toArg);
if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= count)) {
  console.error(`bad range [${fromArg}, ${toArg}) for ${count} sentences`);
  process.exit(2);
}
if (offsets[count] !== tokens.length) {
  console.error(`offsets end at ${offsets[count]}, tokens.bin holds ${tokens.length}`);
  process.exit(1);
}
const base = offsets[from];
const total = offsets[to] - base;
const fields = new Int16Array(6 * total);
for (let s = from; s < to; s++) {
  const a = offsets[s];
  const b = offsets[s + 1];
  const t = traceSentence(tokens.subarray(a, b), exps[s], manifest.geometry, manifest.tokenizer);
  const at = a - base;
  const arrays = [t.plane, t.row, t.col, t.level, t.subband, t.kind];
  for (let f = 0; f < 6; f++) fields.set(arrays[f].subarray(0, b - a), f * total + at);
}
writeFileSync(out, new Uint8Array(fields.buffer));
console.log(JSON.stringify({ from, to, tokens: total }));
