/**
 * The 'edit' job: regenerates a pixel region of a source sentence `count` times; outside
 * the region every coefficient stays exactly as in the source (spec §7).
 * Request: editStartSchema. Result: SampleResult.
 * Used by: worker/jobs/index.ts (job host, CLI in-process), cli edit.
 */
import type { SubbandId } from '../../core/language';
import { regenerateRegion } from '../../core/sample/sampler';
import { selectBackend } from '../../node/backend';
import { loadModel } from '../../node/runs/model-io';
import { resolveModelDir } from '../../node/runs/models';
import type { SampleResult } from '../../shared/dto';
import { StudioError } from '../../shared/result';
import { editStartSchema } from '../../shared/schemas';
import { parseJobRequest } from '../parse-request';
import type { JobHandler } from '../job-types';
import { asStudioError, toGenerated } from './sample';

const SUBBAND_IDS: Record<string, SubbandId> = { LL: 0, TR: 1, BL: 2, BR: 3 };

export const handler: JobHandler<unknown, SampleResult> = async (request, ctx) => {
  const r = parseJobRequest(editStartSchema, request, 'edit');
  const { name: backend } = await selectBackend(ctx.backend);
  const { model, meta } = await loadModel(await resolveModelDir(ctx.workspace, r.modelId));
  const { width, height } = r.mask;
  if (width !== meta.geometry.width || height !== meta.geometry.height || r.mask.bits.length !== width * height) {
    model.dispose();
    throw new StudioError('BAD_REQUEST', `mask ${width}x${height} (${r.mask.bits.length} bits) does not match the model's ${meta.geometry.width}x${meta.geometry.height} images`);
  }
  ctx.emit({ type: 'started', backend, total: r.count, detail: `edit a region (${r.selection}) ${r.count} times (${backend})` });
  const t0 = performance.now();
  try {
    const mask = Uint8Array.from(r.mask.bits, (c) => (c === '1' ? 1 : 0));
    const sentences = await regenerateRegion(model, meta, {
      source: r.source, mask, selection: r.selection, classIndex: r.classIndex, regionClass: r.regionClass, count: r.count, sampling: r.sampling, seed: r.seed,
      allow: { levels: r.levels, subbands: r.subbands?.map((s) => SUBBAND_IDS[s]), planes: r.planes }, previewEvery: 64,
    }, {
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.type === 'tokens') ctx.emit({ type: 'tokens', sample: e.row, tokens: e.tokens, startExponent: e.startExponent, length: e.length, total: r.source.tokens.length });
      },
    });
    return { sentences: sentences.map((s) => toGenerated(s, meta.geometry)), sampling: r.sampling, backend, wallSec: (performance.now() - t0) / 1000 };
  } catch (e) {
    throw asStudioError(e);
  } finally {
    model.dispose();
  }
};
