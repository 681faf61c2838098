/**
 * The token cache on a small imported set (120 MNIST digits): built once with progress,
 * reused ("token cache hit") with identical sentences, rebuilt under a new key when the
 * tokenizer changes, rebuilt when corrupt, and nothing left when a build is cancelled.
 * getTokenCorpus returns exactly the encoder's sentences, split by split.
 */
import { readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSize, sentenceAt } from '../../../src/core/data/corpus';
import { encodeImage, decodeSentence } from '../../../src/core/language/index';
import type { TokenizerConfig } from '../../../src/core/language/types';
import { loadDataset } from '../../../src/node/datasets/catalog';
import { getTokenCorpus, startExponentHistogram } from '../../../src/node/datasets/corpus';
import { runImport } from '../../../src/node/datasets/importers';
import { ensureTokenCache, forgetTokenCaches } from '../../../src/node/datasets/token-cache';
import { GOOD, tempWorkspace } from './helpers';

const HAAR: TokenizerConfig = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' };
const BIOR: TokenizerConfig = { wavelet: 'bior4.4', finalExponent: -2, variant: 'blocks' };

describe('token cache', () => {
  const ws = tempWorkspace();
  let id = '';
  beforeAll(async () => {
    const idx = (f: string): string => join(GOOD, 'idx', f);
    id = (await runImport(ws.root, { name: 'digits', source: { kind: 'idx', images: idx('train-images.idx.gz'), labels: idx('train-labels.idx.gz'), testImages: idx('test-images.idx'), testLabels: idx('test-labels.idx') } })).id;
  });
  afterAll(() => ws.cleanup());

  it('builds once with progress, then reuses the cache', async () => {
    const messages: string[] = [];
    const first = await ensureTokenCache(ws.root, id, HAAR, { onProgress: (_d, _t, m) => messages.push(m ?? '') });
    expect(first.hit).toBe(false);
    expect(messages).toContain('tokenizing');
    expect(first.cache.manifest.counts).toEqual({ train: 100, test: 20 });
    expect(first.cache.manifest.all.psnrMean).toBeGreaterThan(25);
    forgetTokenCaches(); // force a read from disk
    const hits: string[] = [];
    const second = await ensureTokenCache(ws.root, id, HAAR, { onProgress: (_d, _t, m) => hits.push(m ?? '') });
    expect(second.hit).toBe(true);
    expect(hits).toEqual(['token cache hit']);
    expect(Buffer.compare(Buffer.from(second.cache.tokens), Buffer.from(first.cache.tokens))).toBe(0);
  });

  it('getTokenCorpus gives exactly the encoder\'s sentences for each split', async () => {
    const data = await loadDataset(ws.root, id);
    const train = await getTokenCorpus(ws.root, id, HAAR, 'train');
    const test = await getTokenCorpus(ws.root, id, HAAR, 'test');
    expect([corpusSize(train), corpusSize(test)]).toEqual([100, 20]);
    expect(test.offsets[0]).toBe(0);
    for (const [corpus, base] of [[train, 0], [test, 100]] as const) {
      for (const i of [0, 7, corpusSize(corpus) - 1]) {
        const encoded = encodeImage(data.images.subarray((base + i) * 784, (base + i + 1) * 784), 28, 28, HAAR);
        expect(Array.from(sentenceAt(corpus, i))).toEqual(Array.from(encoded.tokens));
        expect(corpus.startExponents[i]).toBe(encoded.startExponent);
        expect(corpus.labels[i]).toBe(data.labels[base + i]);
      }
    }
    const decoded = decodeSentence(sentenceAt(test, 3), test.startExponents[3], test.geometry, HAAR);
    expect(decoded.consumed).toBe(sentenceAt(test, 3).length);
  });

  it('per-class start-exponent histograms add up to the class sizes', async () => {
    const hist = await startExponentHistogram(ws.root, id, HAAR, 'train');
    const train = await getTokenCorpus(ws.root, id, HAAR, 'train');
    hist.forEach((h, c) => {
      const n = Array.from(train.labels).filter((l) => l === c).length;
      expect(Object.values(h).reduce((a, b) => a + b, 0)).toBe(n);
    });
  });

  it('a different tokenizer config gives a new cache; the old one stays', async () => {
    const a = await ensureTokenCache(ws.root, id, HAAR);
    const b = await ensureTokenCache(ws.root, id, BIOR);
    expect(b.hit).toBe(false);
    expect(b.cache.manifest.key).not.toBe(a.cache.manifest.key);
    expect(b.cache.manifest.tokenizer).toEqual(BIOR);
    expect(readdirSync(join(ws.root, 'tokens', id)).filter((n) => !n.startsWith('.')).sort()).toEqual([a.cache.manifest.key, b.cache.manifest.key].sort());
    expect((await ensureTokenCache(ws.root, id, HAAR)).hit).toBe(true);
  });

  it('a corrupt cache is rebuilt', async () => {
    const { cache } = await ensureTokenCache(ws.root, id, HAAR);
    truncateSync(join(cache.dir, 'tokens.bin'), 100);
    forgetTokenCaches();
    const again = await ensureTokenCache(ws.root, id, HAAR);
    expect(again.hit).toBe(false);
    expect(again.cache.tokens.length).toBe(cache.manifest.totalTokens);
  });

  it('a cancelled build leaves no cache behind', async () => {
    const controller = new AbortController();
    const config: TokenizerConfig = { wavelet: 'haar', finalExponent: -5, variant: 'blocks' };
    const run = ensureTokenCache(ws.root, id, config, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    const before = readdirSync(join(ws.root, 'tokens', id));
    expect(before.filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await ensureTokenCache(ws.root, id, config)).hit).toBe(false);
  });
});
