/**
 * Adapts the transformer and token corpora to the generic trainer's TrainTask: batches of
 * length-bucketed sentences split into micro-batches, and a fixed validation set.
 * Used by: worker/jobs/train.ts, tests.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TokenCorpus } from '../data/corpus';
import { lengthOrder, pickBucketBatch, splitMicro } from '../train/buckets';
import type { TrainTask } from '../train/trainer';
import { batchLoss, buildBatch, sentenceLength, type TokenBatch } from './batch';
import type { Gpt } from './gpt';
import { createPrng, type Prng } from './prng';

export interface GptTaskOptions {
  batchSize: number;
  microBatch: number;
  /** Sentences of `validation` used for the validation loss. */
  valSentences: number;
  /** Probability that a training sentence is fed without its class (0 = never); validation is always conditional. */
  classDropout?: number;
  seed: number;
}

function lengths(corpus: TokenCorpus): Uint32Array {
  const n = corpus.offsets.length - 1;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = sentenceLength(corpus, i);
  return out;
}

export function createGptTrainTask(model: Gpt, train: TokenCorpus, validation: TokenCorpus | null, options: GptTaskOptions): TrainTask<TokenBatch> {
  if (train.offsets.length < 2) throw new Error('the training corpus is empty');
  if (train.classes.length > model.config.numClasses) throw new Error(`the corpus has ${train.classes.length} classes, the model ${model.config.numClasses}`);
  const order = lengthOrder(lengths(train));
  const dropout = options.classDropout ?? 0;
  let valBatches: TokenBatch[] | null = null;
  const validationBatches = (): TokenBatch[] => {
    if (valBatches) return valBatches;
    const source = validation && validation.offsets.length > 1 ? validation : train;
    const n = source.offsets.length - 1;
    const pick: Prng = createPrng(options.seed ^ 0x5eed);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(options.valSentences, n)) chosen.add(pick.int(n));
    const sorted = Array.from(lengthOrder(lengths(source), Array.from(chosen)).order);
    valBatches = splitMicro(sorted, options.microBatch).map((ids) => buildBatch(source, ids, model.config));
    return valBatches;
  };
  return {
    variables: model.variables,
    loss: (batch: TokenBatch): tf.Scalar => batchLoss(model, batch),
    tokens: (batch) => batch.tokens,
    nextStep: (rng) => splitMicro(pickBucketBatch(order, options.batchSize, rng), options.microBatch).map((ids) => {
      // no draw at all without dropout, so runs without it keep their exact batch stream
      const dropped = dropout > 0 ? ids.map(() => rng.next() < dropout) : undefined;
      return buildBatch(train, ids, model.config, dropped);
    }),
    validation: validationBatches,
  };
}
