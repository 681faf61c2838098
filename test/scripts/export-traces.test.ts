/**
 * scripts/export-traces.ts (the slots that scripts/torch-train.py builds features from):
 * run as a program on a token-cache folder, it writes, for a range of sentences, six int16
 * arrays that equal the studio's traceSentence token by token; a bad range or a cache
 * whose offsets do not match its tokens is refused with a non-zero exit.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceSentence } from '../../src/core/language';
import { syntheticCorpus } from '../core/model/synthetic';

const run = promisify(execFile);
const corpus = syntheticCorpus(6, 3);
let dir: string;

const exportTraces = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/export-traces.ts', ...args]);

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'ws-traces-'));
  await fs.writeFile(join(dir, 'manifest.json'), JSON.stringify({ tokenizer: corpus.tokenizer, geometry: corpus.geometry }));
  await fs.writeFile(join(dir, 'offsets.u32'), new Uint8Array(corpus.offsets.buffer));
  await fs.writeFile(join(dir, 'tokens.bin'), corpus.tokens);
  await fs.writeFile(join(dir, 'start-exponents.i8'), new Uint8Array(corpus.startExponents.buffer));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(`${dir}-broken`, { recursive: true, force: true });
});

describe('export-traces', () => {
  it('writes the slots of sentences [from, to) as traceSentence gives them', async () => {
    const out = join(dir, 'traces.bin');
    const { stdout } = await exportTraces(dir, out, '2', '5');
    const base = corpus.offsets[2];
    const total = corpus.offsets[5] - base;
    expect(JSON.parse(stdout)).toEqual({ from: 2, to: 5, tokens: total });
    const bytes = await fs.readFile(out);
    const fields = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    expect(fields.length).toBe(6 * total);
    for (let s = 2; s < 5; s++) {
      const tokens = corpus.tokens.subarray(corpus.offsets[s], corpus.offsets[s + 1]);
      const t = traceSentence(tokens, corpus.startExponents[s], corpus.geometry, corpus.tokenizer);
      [t.plane, t.row, t.col, t.level, t.subband, t.kind].forEach((want, f) => {
        const at = f * total + corpus.offsets[s] - base;
        expect(Array.from(fields.subarray(at, at + tokens.length)), `sentence ${s}, field ${f}`).toEqual(Array.from(want.subarray(0, tokens.length)));
      });
    }
  }, 30_000);

  it('refuses a bad range and a cache whose offsets do not match its tokens', async () => {
    await expect(exportTraces(dir, join(dir, 'x.bin'), '4', '2')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/bad range/) });
    await expect(exportTraces(dir, join(dir, 'x.bin'), '0', '99')).rejects.toMatchObject({ code: 2 });
    const broken = `${dir}-broken`;
    await fs.cp(dir, broken, { recursive: true });
    await fs.writeFile(join(broken, 'tokens.bin'), corpus.tokens.subarray(0, corpus.tokens.length - 3));
    await expect(exportTraces(broken, join(dir, 'y.bin'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/offsets end at/) });
  }, 30_000);
});
