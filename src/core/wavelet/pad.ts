/**
 * Zero padding of an H x W image into a centred M x M square (spec 1.2) and the crop back.
 * Used by core/language (encoder, decoder) and the renderer's previews.
 */

export interface PaddedImage {
  /** [size * size] row-major, zeros around the image. */
  square: Float64Array;
  size: number;
  top: number;
  left: number;
}

/** Smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Where an H x W image sits in a size x size square: centred, odd extra to bottom / right. */
export function padOffsets(width: number, height: number, size: number): { top: number; left: number } {
  return { top: Math.floor((size - height) / 2), left: Math.floor((size - width) / 2) };
}

function checkDims(width: number, height: number, length: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  if (length !== width * height) throw new RangeError(`expected ${width}x${height} = ${width * height} values, got ${length}`);
}

/**
 * Pads `image` [height * width] into a square of `size` (default: the smallest power of two
 * >= max(H, W), at least `minSize`). The input is copied as is (no scaling).
 */
export function padImage(image: ArrayLike<number>, width: number, height: number, size?: number, minSize = 1): PaddedImage {
  checkDims(width, height, image.length);
  const M = size ?? Math.max(minSize, nextPowerOfTwo(Math.max(width, height)));
  if (M < width || M < height) throw new RangeError(`pad size ${M} is smaller than the image ${width}x${height}`);
  const { top, left } = padOffsets(width, height, M);
  const square = new Float64Array(M * M);
  for (let y = 0; y < height; y++) {
    const row = (y + top) * M + left;
    for (let x = 0; x < width; x++) square[row + x] = image[y * width + x];
  }
  return { square, size: M, top, left };
}

/** Crops the H x W image at (top, left) out of a size x size square; returns [height * width]. */
export function cropImage(square: Float64Array, size: number, width: number, height: number, top: number, left: number): Float64Array {
  if (square.length !== size * size) throw new RangeError(`expected ${size * size} values, got ${square.length}`);
  if (top < 0 || left < 0 || top + height > size || left + width > size) throw new RangeError('crop lies outside the square');
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = (y + top) * size + left;
    for (let x = 0; x < width; x++) out[y * width + x] = square[row + x];
  }
  return out;
}
