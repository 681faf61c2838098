/**
 * A progress bar with rate and ETA on stderr (redrawn in place on a TTY, one line every few
 * seconds otherwise, so logs stay readable). Used by long CLI commands.
 */

export interface ProgressBar {
  update(done: number, extra?: string): void;
  finish(extra?: string): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * `label [####----] done/total pct rate ETA`. The rate and ETA count only the work done since
 * the bar was created, so a resumed job (first update far above 0) gets an honest ETA.
 */
export function createProgressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  let firstDone: number | undefined;
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0;
  const render = (done: number, extra: string | undefined, final: boolean): void => {
    const now = Date.now();
    if (!final && now - lastDraw < (tty ? 100 : 5000)) return;
    lastDraw = now;
    const elapsed = (now - started) / 1000;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    firstDone ??= done;
    const rate = elapsed > 0 ? (done - firstDone) / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const line = `${label} [${bar}] ${done}/${total} ${(fraction * 100).toFixed(1)}% ${rate.toFixed(1)}/s ` +
      `${final ? 'took ' + formatDuration(elapsed) : 'ETA ' + formatDuration(eta)}${extra ? ' ' + extra : ''}`;
    stream.write(tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  return {
    update: (done, extra) => render(done, extra, false),
    finish: (extra) => render(total, extra, true),
  };
}
