/**
 * Little-endian byte images of the typed arrays stored on disk (dataset labels, token-cache
 * offsets and labels), independent of the host's byte order.
 * Used by: node/datasets/store.ts, token-cache.ts.
 */

/** uint16 values -> 2 bytes each, little-endian. */
export function uint16ToLeBytes(values: Uint16Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(2 * i, values[i], true);
  return out;
}

/** uint32 values -> 4 bytes each, little-endian. */
export function uint32ToLeBytes(values: Uint32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i], true);
  return out;
}

/** Little-endian bytes -> uint16 values (a trailing odd byte is ignored; callers check lengths). */
export function uint16FromLeBytes(bytes: Uint8Array): Uint16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(bytes.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(2 * i, true);
  return out;
}

/** Little-endian bytes -> uint32 values (trailing bytes are ignored; callers check lengths). */
export function uint32FromLeBytes(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}
