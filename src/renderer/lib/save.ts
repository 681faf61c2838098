/**
 * Saving a generated image: a grayscale PNG whose tEXt chunks hold every parameter needed to
 * reproduce it (model, class, seed, sampling, start exponent, the sentence itself), offered
 * through a temporary download link.
 * Used by: views/SamplerView.vue.
 */
import { encodeGrayPng } from './png';

export function downloadPng(filename: string, gray: Uint8Array, width: number, height: number, metadata: Record<string, string>): void {
  const png = encodeGrayPng(gray, width, height, { Software: 'Wavelet Studio', ...metadata });
  const url = URL.createObjectURL(new Blob([png as BlobPart], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.dataset.testid = 'png-download';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
