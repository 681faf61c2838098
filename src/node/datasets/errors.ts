/**
 * Error helpers of the dataset code: every bad input becomes StudioError('BAD_FILE') whose
 * message starts with the file it is about (and says where: offset, row, entry).
 * Used by: every file in node/datasets.
 */
import { StudioError } from '../../shared/result';

/** BAD_FILE error "<file>: <detail>". */
export function badFile(file: string, detail: string): StudioError {
  return new StudioError('BAD_FILE', `${file}: ${detail}`);
}

/** Throws CANCELLED when the signal has fired (long loops call it between items). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new StudioError('CANCELLED', `${what} was cancelled`);
}

/** Message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Hex of a few bytes for messages: "0x1f 0x8b". */
export function hexBytes(bytes: Uint8Array, start: number, count: number): string {
  const out: string[] = [];
  for (let i = start; i < Math.min(bytes.length, start + count); i++) out.push(`0x${bytes[i].toString(16).padStart(2, '0')}`);
  return out.join(' ');
}
