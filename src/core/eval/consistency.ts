/**
 * Class consistency: how often the judge recognises the class a sample was asked for.
 * Pure counting over (requested, predicted) pairs: overall accuracy, per-class accuracy
 * and the confusion matrix (rows: requested class, columns: judged class).
 * Used by: node/eval/run-eval.ts, tests.
 */

export interface ClassConsistency {
  accuracy: number;
  count: number;
  /** per requested class; null where no sample of that class was drawn */
  perClass: (number | null)[];
  /** confusion[requested][judged] counts */
  confusion: number[][];
}

export function classConsistency(
  requested: ArrayLike<number>,
  judged: ArrayLike<number>,
  classes: number,
): ClassConsistency {
  if (requested.length !== judged.length) throw new Error(`requested (${requested.length}) and judged (${judged.length}) differ in length`);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (let i = 0; i < requested.length; i++) {
    const r = requested[i];
    const j = judged[i];
    if (r < 0 || r >= classes || j < 0 || j >= classes) throw new Error(`class index out of range at ${i}: ${r} -> ${j}`);
    confusion[r][j]++;
    if (r === j) right++;
  }
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[c] / total;
  });
  return { accuracy: requested.length === 0 ? 0 : right / requested.length, count: requested.length, perClass, confusion };
}
