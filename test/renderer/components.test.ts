// @vitest-environment happy-dom
/**
 * Component mounts: the shell shows the engine's backend and switches views from the nav
 * and from Ctrl+digit; the Inspector's prefix slider re-decodes the image in the page and
 * the PSNR follows (full sentence: lossless up to Tf, shorter prefix: lower); the training
 * form offers the dataset's models to start from; the sampler settings take a model's
 * recommended guidance and warn when guidance is asked of a model without class dropout.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import App from '../../src/renderer/App.vue';
import InspectorView from '../../src/renderer/views/InspectorView.vue';
import { useInspectorStore } from '../../src/renderer/stores/inspector';
import { useDatasetsStore } from '../../src/renderer/stores/datasets';
import TrainForm from '../../src/renderer/components/TrainForm.vue';
import SamplerSettings from '../../src/renderer/components/SamplerSettings.vue';
import { useSamplerStore } from '../../src/renderer/stores/sampler';
import { createFakeApi } from './fake-api';
import { encodeImage } from '../../src/core/language';
import type { ModelSummary } from '../../src/shared/dto';

const TOKENIZER = { wavelet: 'haar', finalExponent: -3, variant: 'blocks' } as const;

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('App shell', () => {
  it('shows the backend from system.info, then from a job start, and switches views', async () => {
    const fake = createFakeApi({
      'system.info': () => ({ version: '0.1.0', mode: 'browser', workspace: '/w', backends: [{ name: 'tensorflow', available: false, reason: 'no binding' }, { name: 'wasm', available: true }] }),
      'jobs.list': () => [],
      'datasets.list': () => [],
      'models.list': () => [],
    });
    setApi(fake.api);
    const wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body });
    await flushPromises();
    expect(wrapper.get('[data-testid="backend-badge"]').text()).toContain('wasm');
    fake.emit({ jobId: 'j', kind: 'train', type: 'started', backend: 'cpu' });
    await flushPromises();
    expect(wrapper.get('[data-testid="backend-badge"]').text()).toContain('cpu');
    await wrapper.get('[data-testid="nav-evaluate"]').trigger('click');
    expect(wrapper.find('[data-testid="eval-run"]').exists()).toBe(true);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '2', ctrlKey: true }));
    await flushPromises();
    expect(wrapper.find('[data-testid="inspector-empty"]').exists()).toBe(true);
    wrapper.unmount();
  });
});

describe('Inspector', () => {
  it('re-decodes the image when the prefix slider moves and shows the PSNR', async () => {
    setApi(createFakeApi({}).api);
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (Math.abs((i % 28) - 14) < 3 && i > 100 && i < 650 ? 230 : 0));
    const e = encodeImage(pixels, 28, 28, TOKENIZER);
    const pinia = createPinia();
    setActivePinia(pinia);
    const store = useInspectorStore();
    store.show({ title: 'digit', origin: { kind: 'sample' }, label: 1, classes: [], width: 28, height: 28, original: pixels, sentence: { tokens: e.tokens, startExponent: e.startExponent }, tokenizer: TOKENIZER });
    const wrapper = mount(InspectorView, { global: { plugins: [pinia] } });
    await flushPromises();
    const full = store.psnr ?? 0;
    expect(wrapper.get('[data-testid="prefix-count"]').text()).toBe(String(e.tokens.length));
    expect(full).toBeGreaterThan(25);
    const slider = wrapper.get('[data-testid="prefix-slider"]');
    (slider.element as HTMLInputElement).value = String(Math.floor(e.tokens.length / 4));
    await slider.trigger('input');
    expect(store.prefix).toBe(Math.floor(e.tokens.length / 4));
    expect(wrapper.get('[data-testid="prefix-count"]').text()).toBe(String(Math.floor(e.tokens.length / 4)));
    expect(store.psnr ?? Infinity).toBeLessThan(full);
    expect(wrapper.get('[data-testid="psnr"]').text()).toMatch(/^\d+\.\d\d dB$/);
    await slider.trigger('keydown', { key: ']' }); // next plane boundary
    expect(store.boundaries).toContain(store.prefix);
    expect(wrapper.findAll('[data-testid^="token-"]').length).toBeLessThan(80); // the list is virtualised
    wrapper.unmount();
  });
});

describe('Training form', () => {
  it('offers the models of the chosen dataset to start from and sends the choice with the request', async () => {
    const mnist = { id: 'mnist', name: 'MNIST', builtin: true, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], width: 28, height: 28, counts: { train: 60000, test: 10000 }, source: 'builtin', contentHash: 'x', defaultTokenizer: TOKENIZER, notes: [] };
    const summary = (modelId: string, datasetId: string) => ({ modelId, source: 'starter' as const, datasetId, classes: mnist.classes, tokenizer: { ...TOKENIZER, finalExponent: -1 }, width: 28, height: 28, size: 32, params: 812039, step: 3000, classDropout: 0 });
    setApi(createFakeApi({ 'datasets.list': () => [mnist], 'models.list': () => [summary('mnist-small', 'mnist'), summary('fashion-small', 'fashion-mnist')] }).api);
    const pinia = createPinia();
    setActivePinia(pinia);
    await useDatasetsStore().loadList();
    const wrapper = mount(TrainForm, { props: { busy: false }, global: { plugins: [pinia] } });
    await flushPromises();
    const options = wrapper.get('[data-testid="train-init-from"]').findAll('option').map((o) => o.text());
    expect(options).toEqual(['fresh weights', 'mnist-small · Tf 2^-1 · step 3000']); // not the Fashion-MNIST model
    await wrapper.get('[data-testid="train-form"]').trigger('submit');
    expect(wrapper.emitted('start')?.[0]?.[0]).not.toHaveProperty('initFrom');
    await wrapper.get('[data-testid="train-init-from"]').setValue('mnist-small');
    expect(wrapper.get('[data-testid="train-init-hint"]').text()).toContain("Keeps mnist-small's architecture");
    await wrapper.get('[data-testid="train-form"]').trigger('submit');
    expect(wrapper.emitted('start')?.[1]?.[0]).toMatchObject({ datasetId: 'mnist', initFrom: 'mnist-small', tokenizer: TOKENIZER });
    wrapper.unmount();
  });
});

describe('Sampler settings', () => {
  const base = { source: 'starter' as const, datasetId: 'mnist', classes: ['0', '1'], tokenizer: TOKENIZER, width: 28, height: 28, size: 32, params: 1000, step: 10 };
  /** The settings panel over these models, the first one chosen. */
  async function settingsFor(models: ModelSummary[]): Promise<{ store: ReturnType<typeof useSamplerStore>; wrapper: VueWrapper }> {
    setApi(createFakeApi({ 'models.list': () => models }).api);
    const pinia = createPinia();
    setActivePinia(pinia);
    const store = useSamplerStore();
    await store.loadModels();
    const wrapper = mount(SamplerSettings, { global: { plugins: [pinia] } });
    await flushPromises();
    return { store, wrapper };
  }

  it("takes the model's recommended guidance, and warns about guidance on a model trained without class dropout", async () => {
    const guided = { ...base, modelId: 'guided', classDropout: 0.1, sampling: { temperature: 1, topK: 0, topP: 1, guidance: 2 } };
    const plain = { ...base, modelId: 'plain', classDropout: 0 };
    const { store, wrapper } = await settingsFor([guided, plain]);
    expect(store.modelId).toBe('guided');
    expect((wrapper.get('[data-testid="sampler-guidance"]').element as HTMLInputElement).value).toBe('2');
    expect(wrapper.get('[data-testid="sampler-recommended"]').text()).toContain('guidance 2');
    expect(wrapper.find('[data-testid="sampler-guidance-warning"]').exists()).toBe(false);
    store.modelId = 'plain';
    await flushPromises();
    expect(store.settings.sampling.guidance).toBe(1);
    expect(wrapper.find('[data-testid="sampler-guidance-warning"]').exists()).toBe(false); // guidance off
    await wrapper.get('[data-testid="sampler-guidance"]').setValue('3');
    expect(store.settings.sampling.guidance).toBe(3);
    expect(wrapper.get('[data-testid="sampler-guidance-warning"]').text()).toContain('without class dropout');
    wrapper.unmount();
  });

  it("shows the guidance interval only while guidance is on, takes the model's, and keeps it across strategies", async () => {
    const interval = { ...base, modelId: 'interval', classDropout: 0.1, sampling: { temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: 3 } };
    const plain = { ...base, modelId: 'plain', classDropout: 0.1 };
    const { store, wrapper } = await settingsFor([interval, plain]);
    expect(wrapper.get('[data-testid="sampler-recommended"]').text()).toContain('guidance 2 on bit-planes 1-3');
    expect((wrapper.get('[data-testid="sampler-guidance-planes"]').element as HTMLInputElement).value).toBe('3');
    await wrapper.get('[data-testid="strategy-greedy"]').trigger('click');
    await flushPromises();
    expect(store.settings.sampling).toMatchObject({ temperature: 0, guidance: 2, guidancePlanes: 3 });
    await wrapper.get('[data-testid="sampler-guidance-planes"]').setValue('1');
    expect(store.settings.sampling.guidancePlanes).toBe(1);
    expect(wrapper.text()).toContain('Guided bit-planes bit-plane 1');
    await wrapper.get('[data-testid="sampler-guidance-planes"]').setValue('');
    expect(wrapper.text()).toContain('Guided bit-planes all'); // a cleared field guides every plane
    store.modelId = 'plain';
    await flushPromises();
    expect(store.settings.sampling.guidance).toBe(1);
    expect(store.settings.sampling.guidancePlanes).toBe(0);
    expect(wrapper.find('[data-testid="sampler-guidance-planes"]').exists()).toBe(false); // no interval without guidance
    wrapper.unmount();
  });
});
