/**
 * Public surface of core/wavelet: filters, the fast periodic 2-D DWT (Mallat layout),
 * padding. Used by core/language, node adapters, the CLI and the renderer.
 */
export { waveletFilters, WAVELET_NAMES, type WaveletName, type WaveletFilters } from './filters';
export { forwardDwt2, inverseDwt2, dwt2Level, idwt2Level, log2Size } from './dwt';
export { padImage, cropImage, padOffsets, nextPowerOfTwo, type PaddedImage } from './pad';
