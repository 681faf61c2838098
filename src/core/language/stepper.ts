/**
 * createStepper: the decoder state machine for a sentence of a given start exponent and
 * geometry, in the configured variant. Used by the sampler at every generated token, and by
 * the decoder, validator, tracer and region stepper.
 */
import { assertTokenizerConfig, MAX_PLANES, planeCount } from './config';
import { assertGeometry, scanTables } from './geometry';
import { LanguageError, type Geometry, type Stepper, type TokenizerConfig } from './types';
import { BlockWalker } from './walker';
import { ZeroTreeWalker } from './zerotree';

/** Throws LanguageError (index 0) for a start exponent the sentence cannot have. */
export function assertStartExponent(startExponent: number, config: TokenizerConfig): number {
  const planes = planeCount(startExponent, config);
  if (!Number.isInteger(startExponent) || planes < 1 || planes > MAX_PLANES) {
    throw new LanguageError(0, `start exponent ${String(startExponent)} must be an integer in ${config.finalExponent}..${config.finalExponent + MAX_PLANES - 1}`);
  }
  return planes;
}

/** Validates config, geometry and start exponent; returns the number of planes. */
export function checkedPlaneCount(startExponent: number, geometry: Geometry, config: TokenizerConfig): number {
  assertTokenizerConfig(config);
  assertGeometry(geometry);
  return assertStartExponent(startExponent, config);
}

/** The walker behind a stepper (internal: the encoder and the region stepper use its state). */
export function createWalker(startExponent: number, geometry: Geometry, config: TokenizerConfig): BlockWalker | ZeroTreeWalker {
  const planes = checkedPlaneCount(startExponent, geometry, config);
  const tables = scanTables(geometry.size);
  return config.variant === 'zerotree' ? new ZeroTreeWalker(tables, startExponent, planes) : new BlockWalker(tables, startExponent, planes);
}

/** A fresh stepper at the first slot of the sentence. */
export function createStepper(startExponent: number, geometry: Geometry, config: TokenizerConfig): Stepper {
  return createWalker(startExponent, geometry, config);
}
