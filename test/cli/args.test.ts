/**
 * The CLI's argument parser and progress bar: typed options, defaults, --no-flag, clear
 * errors for unknown options and bad values; the bar's ETA counts only work done since it
 * was created (a resumed job gets an honest estimate).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, type OptionSpecs } from '../../src/cli/args';
import { createProgressBar, formatDuration } from '../../src/cli/progress';

const specs: OptionSpecs = {
  count: { type: 'number', description: 'n', default: 4 },
  name: { type: 'string', description: 's' },
  json: { type: 'boolean', description: 'b', default: false },
};

describe('parseArgs', () => {
  it('reads values in both spellings, flags, --no-flags, positionals and defaults', () => {
    expect(parseArgs(['--count', '7', '--name=x', '--json', 'file'], specs)).toEqual({ options: { count: 7, name: 'x', json: true }, positionals: ['file'] });
    expect(parseArgs(['--no-json'], specs).options).toEqual({ count: 4, json: false });
  });

  it('refuses unknown options, missing values and non-numbers with the option named', () => {
    expect(() => parseArgs(['--cuont', '3'], specs)).toThrow(/unknown option --cuont/);
    expect(() => parseArgs(['--name'], specs)).toThrow(/--name needs a value/);
    expect(() => parseArgs(['--count', 'ten'], specs)).toThrow(/--count expects a number/);
    expect(() => parseArgs(['--json=maybe'], specs)).toThrow(/--json expects true or false/);
  });
});

describe('progress bar', () => {
  it('estimates the rest from the work done since it started, not from zero', async () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const bar = createProgressBar('train', 1000, stream);
    bar.update(900); // a resumed run: 900 steps were done in an earlier process
    await new Promise((r) => setTimeout(r, 5100)); // the non-TTY bar draws at most every 5 s
    bar.update(901);
    const last = lines.at(-1) ?? '';
    const rate = Number(/ ([\d.]+)\/s /.exec(last)?.[1]);
    expect(rate).toBeLessThan(1); // 1 step in ~5 s, not 901
    expect(last).toMatch(/ETA \d{2}:\d{2}/);
  }, 10_000);

  it('formats durations', () => {
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});
