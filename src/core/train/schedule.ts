/**
 * Learning-rate schedule: linear warm-up, then cosine decay to a floor.
 * 1. step < warmup: lr * (step + 1) / warmup
 * 2. afterwards: floor + (lr - floor) * (1 + cos(pi * progress)) / 2, progress in [0, 1]
 * Used by: core/train/trainer.ts.
 */
import type { TrainConfig } from './config';

export function learningRateAt(step: number, config: Pick<TrainConfig, 'learningRate' | 'minLearningRateRatio' | 'warmupSteps' | 'steps'>): number {
  const { learningRate: lr, warmupSteps: warmup, steps } = config;
  if (step < warmup) return (lr * (step + 1)) / warmup;
  const floor = lr * config.minLearningRateRatio;
  const span = Math.max(1, steps - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  return floor + ((lr - floor) * (1 + Math.cos(Math.PI * progress))) / 2;
}
