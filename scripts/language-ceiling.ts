/**
 * The language-ceiling table of the README: for each built-in dataset and tokenizer, the
 * judge's accuracy on N real training images passed through the language (encoded and
 * decoded) and their FID against N test images, beside the real-vs-real floor.
 *   npx tsx scripts/language-ceiling.ts [N=1000]
 */
import { judgeImages } from '../src/core/eval/judge';
import { featureStats, frechetDistance } from '../src/core/eval/fid';
import type { TokenizerConfig } from '../src/core/language';
import { selectBackend } from '../src/node/backend';
import { loadBuiltinImages, subsetOf, type BuiltinId } from '../src/node/eval/builtin-images';
import { loadJudge, shippedJudgeDir } from '../src/node/eval/judge-store';
import { throughLanguage } from '../src/node/eval/run-eval';

const N = Number(process.argv[2] ?? 1000);
const ROWS: [BuiltinId, TokenizerConfig['wavelet'], number[]][] = [
  ['mnist', 'haar', [-1, -2, -3]],
  ['mnist', 'bior4.4', [-1, -2]], // prints the real-images row again (same figures)
  ['fashion-mnist', 'bior4.4', [-1, -2, -3]],
];

async function main(): Promise<void> {
  await selectBackend('wasm');
  console.log('| tokenizer | tokens | judge accuracy | FID | FID / floor |');
  for (const [dataset, wavelet, exponents] of ROWS) {
    const judge = await loadJudge(shippedJudgeDir(dataset));
    const test = subsetOf(await loadBuiltinImages(dataset, 'test'), N, 11);
    const train = subsetOf(await loadBuiltinImages(dataset, 'train'), N, 12);
    const reference = await judgeImages(judge.model, test);
    const dim = reference.featureDim;
    const referenceStats = featureStats(reference.features, test.count, dim);
    let floor = 0; // set by the first row: the real images themselves
    const row = async (label: string, images: typeof train, tokens: string): Promise<void> => {
      const out = await judgeImages(judge.model, images);
      const accuracy = out.predictions.reduce((n, p, i) => n + (p === train.labels[i] ? 1 : 0), 0) / train.count;
      const fid = frechetDistance(featureStats(out.features, images.count, dim), referenceStats);
      floor ||= fid;
      console.log(`| ${label} | ${tokens} | ${(accuracy * 100).toFixed(1)}% | ${fid.toFixed(2)} | ${(fid / floor).toFixed(2)} |`);
    };
    await row(`${dataset}, real images`, train, '-');
    for (const finalExponent of exponents) {
      const coded = throughLanguage(train, { wavelet, finalExponent, variant: 'blocks' });
      await row(`${dataset}, ${wavelet}, Tf 2^${finalExponent}`, coded.images, coded.meanTokens.toFixed(0));
    }
    judge.model.dispose();
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
