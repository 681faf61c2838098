import { ensureEvalBackend } from './src/node/eval/backend';
import { loadJudge, shippedJudgeDir } from './src/node/eval/judge-store';
import { fidWithFloor } from './src/node/eval/run-eval';
import { judgeImages } from './src/core/eval/judge';
import { loadBuiltinImages, subsetOf } from './src/node/eval/builtin-images';
await ensureEvalBackend();
const id = process.argv[2] as 'mnist' | 'fashion-mnist';
const dir = process.argv[3] ?? shippedJudgeDir(id);
const judge = await loadJudge(dir);
for (const n of [1000, 5000, 10000]) {
  for (const seed of [0, 1]) {
    // floor: N train vs N test; also a second, disjoint train subset as "generated" to see the spread
    const gen = subsetOf(await loadBuiltinImages(id, 'train'), n, seed + 100);
    const out = await judgeImages(judge.model, gen);
    const r = await fidWithFloor(judge, id, out.features, n, seed);
    console.log(id, 'N', n, 'seed', seed, 'floor(train vs test)', r.floor.toFixed(3), 'other-train vs test', r.value.toFixed(3));
  }
}
