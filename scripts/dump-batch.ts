/**
 * Writes the model's input features for a few sentences of a token-cache folder, as the
 * studio's training builds them (core/model/batch.ts), so that scripts/torch-train.py
 * --check-features can compare its own features against them.
 *
 *   npx tsx scripts/dump-batch.ts <token-cache-dir> <run-config.json> <out.json> <index>...
 *
 * Every second sentence is fed without its class (as class dropout does).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenCorpus } from '../src/core/data/corpus';
import { buildBatch } from '../src/core/model/batch';
import { validateModelConfig } from '../src/core/model/config';

const [dir, configPath, out, ...rest] = process.argv.slice(2);
if (!dir || !configPath || !out || rest.length === 0) {
  console.error('usage: dump-batch <token-cache-dir> <run-config.json> <out.json> <index>...');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const bytes = (name: string): Buffer => readFileSync(join(dir, name));
const o = bytes('offsets.u32');
const e = bytes('start-exponents.i8');
const l = bytes('labels.u16');
const corpus: TokenCorpus = {
  tokenizer: manifest.tokenizer,
  geometry: manifest.geometry,
  classes: manifest.classes,
  offsets: new Uint32Array(o.buffer.slice(o.byteOffset, o.byteOffset + o.byteLength)),
  tokens: new Uint8Array(bytes('tokens.bin')),
  startExponents: new Int8Array(e.buffer, e.byteOffset, e.byteLength),
  labels: new Uint16Array(l.buffer.slice(l.byteOffset, l.byteOffset + l.byteLength)),
};
const config = validateModelConfig(JSON.parse(readFileSync(configPath, 'utf8')).model);
const indices = rest.map(Number);
const dropped = indices.map((_, i) => i % 2 === 1);
const batch = buildBatch(corpus, indices, config, dropped);
writeFileSync(out, JSON.stringify({ indices, dropped, length: batch.length, features: Array.from(batch.features) }));
console.log(`${indices.length} sentences, ${batch.length} positions, ${batch.features.length / indices.length / batch.length} features`);
