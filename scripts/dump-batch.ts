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
import type { TokenCorpus } from '../src/core/data/corpus';
import { buildBatch } from '../src/core/model/batch';
import { validateModelConfig } from '../src/core/model/config';
import { readTokenCache } from '../src/node/datasets/token-cache';

const [dir, configPath, out, ...rest] = process.argv.slice(2);
if (!dir || !configPath || !out || rest.length === 0) {
  console.error('usage: dump-batch <token-cache-dir> <run-config.json> <out.json> <index>...');
  process.exit(2);
}
const cache = await readTokenCache(dir);
if (!cache) {
  console.error(`${dir} is not a readable token cache`);
  process.exit(1);
}
// both splits, indexed as the cache stores them (train, then test)
const corpus: TokenCorpus = {
  tokenizer: cache.manifest.tokenizer, geometry: cache.manifest.geometry, classes: cache.manifest.classes,
  offsets: cache.offsets, tokens: cache.tokens, startExponents: cache.startExponents, labels: cache.labels,
};
const config = validateModelConfig(JSON.parse(readFileSync(configPath, 'utf8')).model);
const indices = rest.map(Number);
const dropped = indices.map((_, i) => i % 2 === 1);
const batch = buildBatch(corpus, indices, config, dropped);
writeFileSync(out, JSON.stringify({ indices, dropped, length: batch.length, features: Array.from(batch.features) }));
console.log(`${indices.length} sentences, ${batch.length} positions, ${batch.features.length / indices.length / batch.length} features`);
