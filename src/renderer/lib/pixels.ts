/**
 * Pixel helpers: base64 grayscale bytes to arrays, grayscale to RGBA, canvas painting.
 * Used by: components that draw thumbnails and images, stores that decode items.
 */

/** Decodes base64 (row-major uint8 grayscale, as in the DTOs) to bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Writes grayscale into an RGBA buffer at (x, y) of a buffer `stride` pixels wide. */
export function grayIntoRgba(gray: Uint8Array, w: number, h: number, rgba: Uint8ClampedArray, stride: number, x = 0, y = 0): void {
  for (let r = 0; r < h; r++) {
    let o = ((y + r) * stride + x) * 4;
    for (let c = 0; c < w; c++, o += 4) {
      const v = gray[r * w + c];
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
      rgba[o + 3] = 255;
    }
  }
}

/** Paints a grayscale image onto a canvas at its native size (CSS scales it, pixelated). */
export function paintGray(canvas: HTMLCanvasElement, gray: Uint8Array, w: number, h: number): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(w, h);
  grayIntoRgba(gray, w, h, image.data, w);
  ctx.putImageData(image, 0, 0);
}

/** Paints an RGBA buffer onto a canvas at its native size. */
export function paintRgba(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, w: number, h: number): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(w, h);
  image.data.set(rgba);
  ctx.putImageData(image, 0, 0);
}
