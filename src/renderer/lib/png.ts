/**
 * A small PNG encoder for grayscale images with tEXt metadata (every sampling parameter is
 * written into the file). Uses stored (uncompressed) deflate blocks: images here are tiny.
 * Used by: views/SamplerView (save as PNG); tested in test/renderer/lib.test.ts.
 */

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) typed[i] = type.charCodeAt(i);
  typed.set(data, 4);
  const out = new Uint8Array(12 + data.length);
  out.set(u32(data.length), 0);
  out.set(typed, 4);
  out.set(u32(crc32(typed)), 8 + data.length);
  return out;
}

/** zlib stream of stored blocks (no compression). */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, raw.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 255;
    out[o++] = len >>> 8;
    out[o++] = ~len & 255;
    out[o++] = (~len >>> 8) & 255;
    out.set(raw.subarray(start, start + len), o);
    o += len;
  }
  out.set(u32(adler32(raw)), o);
  return out;
}

function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[i] = code < 256 ? code : 63; // '?' for characters tEXt cannot hold
  }
  return out;
}

/** Encodes an 8-bit grayscale PNG with one tEXt chunk per metadata entry. */
export function encodeGrayPng(gray: Uint8Array, width: number, height: number, metadata: Record<string, string> = {}): Uint8Array {
  const header = new Uint8Array([...u32(width), ...u32(height), 8, 0, 0, 0, 0]);
  const raw = new Uint8Array((width + 1) * height);
  for (let r = 0; r < height; r++) raw.set(gray.subarray(r * width, (r + 1) * width), r * (width + 1) + 1);
  const texts = Object.entries(metadata).map(([key, value]) => {
    const k = latin1(key.slice(0, 79));
    const v = latin1(value);
    const data = new Uint8Array(k.length + 1 + v.length);
    data.set(k, 0);
    data.set(v, k.length + 1);
    return chunk('tEXt', data);
  });
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), ...texts, chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads the tEXt entries of a PNG (for tests and for re-opening saved samples). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let o = 8;
  while (o + 12 <= png.length) {
    const len = ((png[o] << 24) | (png[o + 1] << 16) | (png[o + 2] << 8) | png[o + 3]) >>> 0;
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    if (type === 'tEXt') {
      const data = png.subarray(o + 8, o + 8 + len);
      const zero = data.indexOf(0);
      out[String.fromCharCode(...data.subarray(0, zero))] = String.fromCharCode(...data.subarray(zero + 1));
    }
    o += 12 + len;
  }
  return out;
}
