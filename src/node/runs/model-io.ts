/**
 * Loading a trained model for sampling: a run folder or a model folder (both hold a
 * checkpoint/; a packaged model has no optimizer files), giving the transformer with its weights and the metadata the sampler needs.
 * Used by: worker/jobs/{sample,edit}.ts, cli sample / edit, node/service/models.ts.
 */
import { createGpt, type Gpt } from '../../core/model/gpt';
import { assignVariables } from '../../core/model/weights';
import type { ModelMeta } from '../../core/sample/sampler';
import { StudioError } from '../../shared/result';
import { loadCheckpoint, modelWeights, type CheckpointState } from './checkpoint';

export interface LoadedModel {
  model: Gpt;
  meta: ModelMeta;
  state: CheckpointState;
}

/** Loads weights (the moving average when the run keeps one) and metadata only: optimizer files are neither read nor required. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const checkpoint = await loadCheckpoint(dir, { optimizer: false });
  if (!checkpoint) throw new StudioError('NOT_FOUND', `${dir} has no checkpoint (train first, or pick a run with one)`);
  const { state } = checkpoint;
  const model = createGpt(state.model);
  try {
    assignVariables(model, modelWeights(checkpoint));
  } catch (e) {
    model.dispose();
    throw new StudioError('BAD_FILE', `checkpoint in ${checkpoint.from} does not fit its model config: ${(e as Error).message}`);
  }
  return { model, state, meta: { tokenizer: state.tokenizer, geometry: state.geometry, classes: state.classes, stats: state.stats } };
}
