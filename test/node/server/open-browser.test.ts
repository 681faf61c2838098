/**
 * Opening the browser never puts the session token on a command line (visible to every
 * local user): the opener gets a private redirect page that holds the URL.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const spawned: { command: string; args: string[] }[] = [];
vi.mock('node:child_process', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:child_process')>()),
  spawn: vi.fn((command: string, args: string[]) => {
    spawned.push({ command, args });
    return { on: () => undefined, unref: () => undefined };
  }),
}));

const { openInBrowser } = await import('../../../src/node/server/index');

describe('openInBrowser', () => {
  it('hands the opener a 0600 redirect page, not the URL with its token', () => {
    const url = 'http://127.0.0.1:4321/?token=' + 'ab'.repeat(32);
    openInBrowser(url);
    expect(spawned).toHaveLength(1);
    const args = spawned[0].args.join(' ');
    expect(args).not.toContain('token');
    const page = spawned[0].args.at(-1)!;
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(readFileSync(page, 'utf8')).toContain(`url=${url}`);
  });
});
