/**
 * Test helper: writes a 16-image synthetic dataset of 12 x 12 bar images (12 train, 4 test,
 * labels cycling over the classes) into a workspace, for tests that train through the job
 * code or the CLI.
 */
import { createPrng } from '../../../src/core/model/prng';
import { writeDataset } from '../../../src/node/datasets/store';
import { barImage, TEST_TOKENIZER } from '../../core/model/synthetic';

export async function writeBarsDataset(workspace: string, o: { id?: string; classes?: number; seed: number }): Promise<void> {
  const id = o.id ?? 'bars';
  const classes = o.classes ?? 3;
  const rng = createPrng(o.seed);
  const count = 16;
  const images = new Uint8Array(count * 144);
  const labels = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    images.set(barImage(labels[i], rng), i * 144);
  }
  await writeDataset(workspace, {
    name: id, builtin: false, classes: Array.from({ length: classes }, (_, c) => `c${c}`), width: 12, height: 12, counts: { train: 12, test: 4 },
    source: 'synthetic bars', defaultTokenizer: TEST_TOKENIZER, notes: [], images, labels,
  }, { id, exact: true });
}
