/**
 * Public surface of core/language, the wavelet language (shared/design/wavelet-language.md).
 * Used by: core/model, core/sample, node (token cache), CLI, renderer.
 */
export * from './types';
export { DEFAULT_TOKENIZER_CONFIG, validateTokenizerConfig, planeCount, MAX_PLANES, FINAL_EXPONENT_RANGE } from './config';
export { geometryFor, scanTables, MIN_SIZE, MAX_SIZE, type ScanTables } from './geometry';
export { createStepper } from './stepper';
export { tokenAtThreshold } from './state';
export { ZERO_TREE } from './zerotree';
export { encodeImage, encodeCoefficients, startExponentOf, pixelsToSquare } from './encoder';
export { decodeSentence, validateSentence, reconstructPixels, reconstructFloat, psnr, type DecodedSentence, type Validation } from './decoder';
export { traceSentence, planeStarts } from './trace';
export { regionCoefficients, regionFootprint } from './regions';
export { createRegionStepper, assertRegionVariant, REGION_VARIANT_MESSAGE } from './region-stepper';
