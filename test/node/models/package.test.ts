/**
 * Model packages: a fake model folder survives export + import byte for byte, and every
 * kind of bad file (not a zip, truncated, no manifest, foreign kind, newer schema, hash or
 * size mismatch, unlisted or unsafe entries) is refused with BAD_FILE leaving nothing behind.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportModelPackage, importModelPackage, listModelFiles, PACKAGE_SCHEMA_VERSION } from '../../../src/node/models/package';
import { StudioError } from '../../../src/shared/result';

let root: string;
let modelDir: string;
let workspace: string;

const fakeFiles: Record<string, Uint8Array> = {
  'config.json': strToU8('{"preset":"tiny","seed":3}\n'),
  'eval-report.json': strToU8('{"kind":"wavelet-studio-eval"}'),
  'checkpoint/weights.json': strToU8('{"format":"wavelet-studio-weights","weightsManifest":[{"paths":["weights.bin"]}]}'),
  'checkpoint/weights.bin': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
  'checkpoint/optimizer.json': strToU8('{"weightsManifest":[]}'),
  'checkpoint/optimizer.bin': new Uint8Array(16),
  'checkpoint/state.json': strToU8('{"classes":["0","1"],"stats":[{"startExponents":{"3":10}}]}'),
};

beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'ws-pkg-'));
  modelDir = join(root, 'run-a');
  workspace = join(root, 'ws');
  for (const [path, data] of Object.entries(fakeFiles)) {
    await fs.mkdir(join(modelDir, path, '..'), { recursive: true });
    await fs.writeFile(join(modelDir, path), data);
  }
  // none of these may travel: a temp file, a checkpoint being written, the crash-recovery copy, a trainer's lock
  await fs.writeFile(join(modelDir, 'train.lock'), '{"pid":1}');
  await fs.writeFile(join(modelDir, '.config.json.123.tmp'), 'half-written');
  await fs.mkdir(join(modelDir, 'checkpoint.tmp-ab12'), { recursive: true });
  await fs.writeFile(join(modelDir, 'checkpoint.tmp-ab12', 'weights.bin'), 'partial');
  await fs.mkdir(join(modelDir, 'checkpoint.prev'), { recursive: true });
  await fs.writeFile(join(modelDir, 'checkpoint.prev', 'state.json'), '{}');
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function modelsLeft(): Promise<string[]> {
  return fs.readdir(join(workspace, 'models')).catch(() => []);
}

async function expectBadFile(bytes: Uint8Array, message: RegExp): Promise<void> {
  const file = join(root, 'bad.wsmodel');
  await fs.writeFile(file, bytes);
  const error = await importModelPackage(file, workspace).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StudioError);
  expect((error as StudioError).code).toBe('BAD_FILE');
  expect((error as StudioError).message).toMatch(message);
  expect(await modelsLeft()).toEqual([]);
}

/** Exports the fake model and returns the zip's entries, for tampering. */
async function exportedEntries(): Promise<Record<string, Uint8Array>> {
  const out = join(root, 'good.wsmodel');
  await exportModelPackage(modelDir, out);
  return unzipSync(new Uint8Array(await fs.readFile(out)));
}

function withManifest(entries: Record<string, Uint8Array>, edit: (m: Record<string, unknown>) => void): Uint8Array {
  const manifest = JSON.parse(strFromU8(entries['manifest.json'])) as Record<string, unknown>;
  edit(manifest);
  return zipSync({ ...entries, 'manifest.json': strToU8(JSON.stringify(manifest)) });
}

describe('model package', () => {
  it('replaces an existing file only when allowed to', async () => {
    const out = join(root, 'taken.wsmodel');
    await fs.writeFile(out, 'keep me');
    await expect(exportModelPackage(modelDir, out, new Date(), { replace: false })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await fs.readFile(out, 'utf8')).toBe('keep me');
    await exportModelPackage(modelDir, out);
    expect((await fs.readFile(out)).subarray(0, 2).toString()).toBe('PK');
  });

  it('round-trips every file byte for byte and skips temp and previous checkpoints', async () => {
    const out = join(root, 'pkg', 'model.wsmodel');
    const exported = await exportModelPackage(modelDir, out);
    expect(exported.bytes).toBe((await fs.stat(out)).size);
    expect(exported.manifest.files.map((f) => f.path)).toEqual(Object.keys(fakeFiles).sort());
    const imported = await importModelPackage(out, workspace);
    expect(imported.modelId).toBe('run-a');
    for (const [path, data] of Object.entries(fakeFiles)) {
      expect(new Uint8Array(await fs.readFile(join(imported.dir, path)))).toEqual(data);
    }
    expect(await listModelFiles(imported.dir)).toEqual([...Object.keys(fakeFiles), 'manifest.json'].sort());
    const again = await importModelPackage(out, workspace);
    expect(again.modelId).toBe('run-a-2'); // never overwrites an existing model
    expect((await modelsLeft()).sort()).toEqual(['run-a', 'run-a-2']);
  });

  it('re-exports an imported model without nesting its old manifest', async () => {
    const first = join(root, 'a.wsmodel');
    await exportModelPackage(modelDir, first);
    const imported = await importModelPackage(first, workspace);
    const second = await exportModelPackage(imported.dir, join(root, 'b.wsmodel'));
    expect(second.manifest.files.map((f) => f.path)).toEqual(Object.keys(fakeFiles).sort());
  });

  it('refuses a file that is not a zip', async () => {
    await expectBadFile(strToU8('{"this is": "json"}'), /not a zip/);
  });

  it('refuses a truncated package', async () => {
    const out = join(root, 'good.wsmodel');
    await exportModelPackage(modelDir, out);
    const bytes = new Uint8Array(await fs.readFile(out));
    await expectBadFile(bytes.subarray(0, Math.floor(bytes.length * 0.6)), /damaged or truncated/);
  });

  it('refuses a zip without a manifest', async () => {
    await expectBadFile(zipSync({ 'weights.bin': new Uint8Array(8) }), /no manifest\.json/);
  });

  it('refuses a foreign manifest kind', async () => {
    await expectBadFile(withManifest(await exportedEntries(), (m) => { m.kind = 'some-other-app'; }), /kind is "some-other-app"/);
  });

  it('refuses a newer schema version', async () => {
    const bytes = withManifest(await exportedEntries(), (m) => { m.schemaVersion = PACKAGE_SCHEMA_VERSION + 1; });
    await expectBadFile(bytes, /newer than this studio/);
  });

  it('refuses a file whose content does not match its hash', async () => {
    const entries = await exportedEntries();
    const weights = Uint8Array.from(entries['checkpoint/weights.bin']);
    weights[100] ^= 0xff;
    await expectBadFile(zipSync({ ...entries, 'checkpoint/weights.bin': weights }), /weights\.bin does not match its sha256/);
  });

  it('refuses missing, resized and unlisted entries', async () => {
    const entries = await exportedEntries();
    const { 'checkpoint/state.json': _dropped, ...rest } = entries;
    await expectBadFile(zipSync(rest), /state\.json is listed .* missing/);
    await expectBadFile(zipSync({ ...entries, 'config.json': strToU8('{}') }), /config\.json has 2 bytes/);
    await expectBadFile(zipSync({ ...entries, 'extra.js': strToU8('alert(1)') }), /extra\.js is not listed/);
  });

  it('refuses paths that would escape the model folder', async () => {
    const bytes = withManifest(await exportedEntries(), (m) => {
      (m.files as { path: string }[])[0].path = '../../outside.json';
    });
    await expectBadFile(bytes, /not a safe/);
  });

  it('refuses a folder or a FIFO without blocking on it', async () => {
    await expect(importModelPackage(root, workspace)).rejects.toMatchObject({ code: 'BAD_FILE', message: expect.stringMatching(/not a regular file/) });
    const fifo = join(root, 'pipe.wsmodel');
    execFileSync('mkfifo', [fifo]);
    await expect(importModelPackage(fifo, workspace)).rejects.toMatchObject({ code: 'BAD_FILE' });
  });

  it('reports a missing package file as NOT_FOUND', async () => {
    await expect(importModelPackage(join(root, 'nope.wsmodel'), workspace)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
