/** The workspace: per-OS data folders, overrides in the right order, layout, atomic writes, settings. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile, defaultDataDir, ensureWorkspace, readSettings, resolveWorkspace, updateSettings } from '../../src/node/workspace';

describe('workspace location', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/a' })).toBe('/home/a/.local/share/wavelet-studio');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/x' }, home: '/home/a' })).toBe('/x/wavelet-studio');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/a' })).toBe('/Users/a/Library/Application Support/Wavelet Studio');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:/Users/a/AppData/Roaming' }, home: 'C:/Users/a' })).toMatch(/Roaming.Wavelet Studio$/);
  });
  it('prefers --workspace, then WAVELET_STUDIO_HOME, then the default', () => {
    const where = { platform: 'linux' as const, env: { WAVELET_STUDIO_HOME: '/env/ws' }, home: '/home/a' };
    expect(resolveWorkspace('/flag/ws', where)).toBe('/flag/ws');
    expect(resolveWorkspace(undefined, where)).toBe('/env/ws');
    expect(resolveWorkspace('', { ...where, env: {} })).toBe('/home/a/.local/share/wavelet-studio');
    expect(resolveWorkspace('rel', where)).toBe(resolve('rel'));
  });
});

describe('workspace files', () => {
  it('creates the layout and writes atomically, leaving no temp files', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'ws-')), 'studio');
    const layout = await ensureWorkspace(root);
    expect(readdirSync(root).sort()).toEqual(['datasets', 'models', 'runs', 'tokens']);
    const target = join(layout.runs, 'r1', 'config.json');
    await atomicWriteFile(target, '{"a":1}');
    await atomicWriteFile(target, new Uint8Array([123, 125]));
    expect(readFileSync(target, 'utf8')).toBe('{}');
    expect(readdirSync(join(layout.runs, 'r1'))).toEqual(['config.json']);
  });
  it('with replace: false never replaces an existing file and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-noreplace-'));
    const target = join(dir, 'out.zip');
    await atomicWriteFile(target, 'first', { replace: false });
    await expect(atomicWriteFile(target, 'second', { replace: false })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(target, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['out.zip']);
  });

  it('merges settings and survives a corrupt settings file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ws-'));
    writeFileSync(join(root, 'settings.json'), '{broken');
    expect(await readSettings(root)).toEqual({});
    await updateSettings(root, { window: { width: 1000, height: 700 } });
    await updateSettings(root, { theme: 'dark' });
    expect(await readSettings(root)).toEqual({ window: { width: 1000, height: 700 }, theme: 'dark' });
  });
});
