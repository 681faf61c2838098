/**
 * Class names of the built-in datasets, as the judges and eval reports show them.
 * Used by: cli judge, node/eval/run-eval.ts.
 */
import type { BuiltinId } from './builtin-images';

export const BUILTIN_CLASSES: Readonly<Record<BuiltinId, readonly string[]>> = Object.freeze({
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
});
