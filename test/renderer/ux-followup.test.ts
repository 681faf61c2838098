// @vitest-environment happy-dom
/**
 * Follow-ups to ux.test.ts: region constraints that cannot be read or ask for nothing hold
 * Generate back (a reversed plane range means the same planes); only the latest Inspector
 * opening lands and clears "loading"; the Datasets list says it is loading or failed rather
 * than "No datasets."; a candidate tile's image is the button that picks it, with Keep /
 * Discard / Accept beside it and no button inside another; and the
 * "Used by" lines of the renderer's header comments name files that exist.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import { parsePlanes, useRegionStore } from '../../src/renderer/stores/region';
import { useInspectorStore } from '../../src/renderer/stores/inspector';
import { useSamplerStore } from '../../src/renderer/stores/sampler';
import RegionView from '../../src/renderer/views/RegionView.vue';
import DatasetsView from '../../src/renderer/views/DatasetsView.vue';
import { CLASSES, MNIST, MODEL, TOKENIZER, digit, editSentence, samplerGenerating } from './ux-fixtures';
import { createFakeApi, type Handlers } from './fake-api';

/** Answers that wait until the test releases them, one by one (requests in flight). */
function controlled<T>(): { handler: (request: unknown) => Promise<T>; requests: unknown[]; answer: (i: number, value: T) => void } {
  const requests: unknown[] = [];
  const resolvers: ((value: T) => void)[] = [];
  return {
    handler: (request) => new Promise<T>((resolve) => {
      requests.push(request);
      resolvers.push(resolve);
    }),
    requests,
    answer: (i, value) => resolvers[i](value),
  };
}

function item(fill: number): unknown {
  const d = digit(fill);
  return { label: 1, width: 28, height: 28, pixels: btoa(String.fromCharCode(...d.pixels)), sentence: { tokens: Array.from(d.tokens), startExponent: d.startExponent }, tokenizer: TOKENIZER };
}

function loadDigit(store: ReturnType<typeof useRegionStore>): void {
  const d = digit();
  store.load({ title: 't', width: 28, height: 28, sentence: { tokens: d.tokens, startExponent: d.startExponent }, tokenizer: TOKENIZER, classIndex: 1 });
  store.checkpoint();
  store.dab(14, 14, 3, false);
}

function disabled(w: VueWrapper, testid: string): boolean {
  return (w.get(`[data-testid="${testid}"]`).element as HTMLButtonElement).disabled;
}

let pinia: Pinia;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});

describe('Region constraints', () => {
  async function mountRegion(): Promise<{ wrapper: VueWrapper; fake: ReturnType<typeof createFakeApi> }> {
    const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    loadDigit(useRegionStore());
    const wrapper = mount(RegionView, { global: { plugins: [pinia] } });
    await flushPromises();
    return { wrapper, fake };
  }
  const edits = (fake: ReturnType<typeof createFakeApi>): unknown[] => fake.calls.filter((c) => c.channel === 'jobs.edit').map((c) => c.request);

  it('reads a reversed plane range as the same planes, never as an empty list', async () => {
    expect(parsePlanes('5-2')).toEqual({ ok: true, planes: [2, 3, 4, 5] });
    const { wrapper, fake } = await mountRegion();
    await wrapper.get('[data-testid="region-planes"]').setValue('5-2, 0');
    expect(wrapper.find('[data-testid="region-planes-error"]').exists()).toBe(false);
    await wrapper.get('[data-testid="region-generate"]').trigger('click');
    await flushPromises();
    expect(edits(fake)).toHaveLength(1);
    expect(edits(fake)[0]).toMatchObject({ planes: [0, 2, 3, 4, 5] });
    wrapper.unmount();
  });

  it('holds Generate back while the planes cannot be read, rather than sending the last readable ones', async () => {
    const { wrapper, fake } = await mountRegion();
    const store = useRegionStore();
    const field = wrapper.get('[data-testid="region-planes"]');
    await field.setValue('0-2');
    expect(store.planes).toEqual([0, 1, 2]);
    expect(disabled(wrapper, 'region-generate')).toBe(false);
    for (const bad of ['0-x', '3, 999']) {
      await field.setValue(bad);
      expect(wrapper.get('[data-testid="region-planes-error"]').text()).not.toBe('');
      expect(field.attributes('aria-invalid')).toBe('true');
      expect(disabled(wrapper, 'region-generate')).toBe(true);
      expect(await store.generate('m1', 2, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 0)).toBe(false);
    }
    // the field and its error outlive a switch to another view and back
    wrapper.unmount();
    const again = mount(RegionView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect((again.get('[data-testid="region-planes"]').element as HTMLInputElement).value).toBe('3, 999');
    expect(again.get('[data-testid="region-planes-error"]').text()).toContain('64');
    expect(disabled(again, 'region-generate')).toBe(true);
    expect(edits(fake)).toHaveLength(0);
    await again.get('[data-testid="region-planes"]').setValue('3');
    expect(again.find('[data-testid="region-planes-error"]').exists()).toBe(false);
    expect(disabled(again, 'region-generate')).toBe(false);
    again.unmount();
  });

  it('holds Generate back, saying why, when no level or no subband is left', async () => {
    const { wrapper, fake } = await mountRegion();
    const store = useRegionStore();
    const levels = wrapper.findAll('input[data-testid^="level-"]');
    for (const box of levels) await box.setValue(false);
    expect(store.levels).toEqual([]);
    expect(wrapper.get('[data-testid="region-levels-error"]').text()).toContain('level');
    expect(disabled(wrapper, 'region-generate')).toBe(true);
    expect(await store.generate('m1', 2, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 0)).toBe(false);
    await levels[0].setValue(true);
    expect(wrapper.find('[data-testid="region-levels-error"]').exists()).toBe(false);
    expect(disabled(wrapper, 'region-generate')).toBe(false);
    for (const s of ['LL', 'TR', 'BL', 'BR']) await wrapper.get(`[data-testid="subband-${s}"]`).setValue(false);
    expect(wrapper.get('[data-testid="region-subbands-error"]').text()).toContain('subband');
    expect(disabled(wrapper, 'region-generate')).toBe(true);
    expect(await store.generate('m1', 2, { temperature: 1, topK: 0, topP: 1, guidance: 1 }, 0)).toBe(false);
    expect(edits(fake)).toHaveLength(0);
    wrapper.unmount();
  });
});

describe('Inspector openings', () => {
  it('shows only the latest opening, and only its answer ends "loading"', async () => {
    const items = controlled<unknown>();
    setApi(createFakeApi({ 'datasets.item': items.handler }).api);
    const store = useInspectorStore();
    const first = store.openDatasetItem('mnist', 'train', 1, CLASSES);
    const second = store.openDatasetItem('mnist', 'train', 2, CLASSES);
    await flushPromises();
    expect(items.requests).toHaveLength(2);
    items.answer(0, item(10)); // the older one answers first: not shown, still loading
    expect(await first).toBe(false);
    expect(store.image).toBeNull();
    expect(store.loading).toBe(true);
    items.answer(1, item(20));
    expect(await second).toBe(true);
    expect(store.image?.title).toContain('#2');
    expect(store.loading).toBe(false);

    const third = store.openDatasetItem('mnist', 'train', 3, CLASSES);
    const fourth = store.openDatasetItem('mnist', 'train', 4, CLASSES);
    await flushPromises();
    items.answer(3, item(40));
    expect(await fourth).toBe(true);
    items.answer(2, item(30)); // a slower, older answer arriving last does not win
    expect(await third).toBe(false);
    expect(store.image?.title).toContain('#4');
    expect(store.loading).toBe(false);
  });

  it('keeps a sample shown after a dataset item was asked for', async () => {
    const items = controlled<unknown>();
    setApi(createFakeApi({ 'datasets.item': items.handler }).api);
    const store = useInspectorStore();
    const opening = store.openDatasetItem('mnist', 'train', 1, CLASSES);
    await flushPromises();
    const d = digit();
    store.show({ title: 'sample', origin: { kind: 'sample' }, label: 1, classes: CLASSES, width: 28, height: 28, original: null, sentence: { tokens: d.tokens, startExponent: d.startExponent }, tokenizer: TOKENIZER });
    expect(store.loading).toBe(false);
    items.answer(0, item(10));
    expect(await opening).toBe(false);
    expect(store.image?.title).toBe('sample');
  });
});

describe('Datasets list', () => {
  it('says it is loading until the engine answers, then "No datasets." only if there are none', async () => {
    const list = controlled<unknown>();
    setApi(createFakeApi({ 'datasets.list': list.handler }).api);
    const wrapper = mount(DatasetsView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.text()).not.toContain('No datasets.');
    expect(wrapper.get('[data-testid="datasets-loading"]').text()).toContain('Loading');
    list.answer(0, []);
    await flushPromises();
    expect(wrapper.find('[data-testid="datasets-loading"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="datasets-empty"]').text()).toBe('No datasets.');
    wrapper.unmount();
  });

  it('says the list failed, with a retry, instead of "No datasets."', async () => {
    const handlers: Handlers = { 'datasets.page': () => ({ total: 0, width: 28, height: 28, items: [] }), 'datasets.stats': () => ({ datasetId: 'mnist', classCounts: { train: [], test: [] } }) };
    setApi(createFakeApi(handlers).api); // no datasets.list: it fails
    const wrapper = mount(DatasetsView, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(wrapper.text()).not.toContain('No datasets.');
    expect(wrapper.find('[data-testid="datasets-loading"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="datasets-error"]').text()).toContain('could not be loaded');
    handlers['datasets.list'] = () => [MNIST];
    await wrapper.get('[data-testid="datasets-retry"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="datasets-error"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="dataset-mnist"]').exists()).toBe(true);
    wrapper.unmount();
  });
});

describe('candidate tiles: real buttons, none inside another', () => {
  it('Sampler: each tile is a named group whose image is the button that shows it, with Keep and Discard beside it, never inside', async () => {
    const { fake, wrapper } = await samplerGenerating(pinia);
    for (const sample of [0, 1, 2]) fake.emit({ jobId: 's1', kind: 'sample', type: 'tokens', sample, tokens: [2, 3, 2], startExponent: 1, length: 3, total: 400 });
    await flushPromises();
    const store = useSamplerStore();
    const tiles = wrapper.findAll('[data-testid="candidate"]');
    expect(tiles).toHaveLength(3);
    expect(store.selected?.key).toBe('s1:0');
    tiles.forEach((t, i) => {
      expect(t.attributes('role')).toBe('group');
      expect(t.attributes('aria-label')).toBe(`Candidate ${i + 1}`);
      expect(t.attributes('tabindex')).toBeUndefined(); // the buttons inside take the focus
      expect(t.findAll('button button, [role="button"] button')).toHaveLength(0);
      expect(t.get('[data-testid="candidate-pick"]').element.tagName).toBe('BUTTON');
      expect(t.get('[data-testid="candidate-pick"]').attributes('aria-label')).toMatch(new RegExp(`^Candidate ${i + 1}, class 0, seed \\d+$`));
    });
    const picks = wrapper.findAll('[data-testid="candidate-pick"]');
    await picks[1].trigger('click');
    expect(store.selected?.key).toBe('s1:1');
    expect(picks.map((p) => p.attributes('aria-pressed'))).toEqual(['false', 'true', 'false']);
    await tiles[2].trigger('click'); // the tile's frame picks too
    expect(store.selected?.key).toBe('s1:2');
    await tiles[0].get('[data-testid="candidate-keep"]').trigger('click');
    expect(store.selected?.key).toBe('s1:2'); // Keep keeps, it does not pick
    expect(store.candidates[0].kept).toBe(true);
    await tiles[0].get('[data-testid="candidate-discard"]').trigger('click');
    expect(store.selected?.key).toBe('s1:2');
    wrapper.unmount();
  });

  it('Region editor: each tile is a named group whose image is the button that shows the edit as after, with Accept beside it', async () => {
    const fake = createFakeApi({ 'models.list': () => [MODEL], 'jobs.edit': () => ({ jobId: 'e1', kind: 'edit' }) });
    setApi(fake.api);
    const store = useRegionStore();
    loadDigit(store);
    const wrapper = mount(RegionView, { global: { plugins: [pinia] } });
    await flushPromises();
    await wrapper.get('[data-testid="region-generate"]').trigger('click');
    await flushPromises();
    const sentences = [30, 60, 90].map(editSentence);
    fake.emit({ jobId: 'e1', kind: 'edit', type: 'done', result: { sentences } });
    await flushPromises();
    const tiles = wrapper.findAll('[data-testid="region-candidate"]');
    expect(tiles).toHaveLength(3);
    expect(tiles.map((t) => t.attributes('role'))).toEqual(['group', 'group', 'group']);
    expect(tiles.every((t) => t.findAll('button button').length === 0)).toBe(true);
    const picks = wrapper.findAll('[data-testid="region-candidate-pick"]');
    expect(picks.map((p) => p.attributes('aria-label'))).toEqual(['Candidate edit 1: show as after', 'Candidate edit 2: show as after', 'Candidate edit 3: show as after']);
    expect(picks[0].attributes('aria-pressed')).toBe('true');
    await picks[1].trigger('click');
    expect(picks.map((p) => p.attributes('aria-pressed'))).toEqual(['false', 'true', 'false']);
    await tiles[2].trigger('click');
    expect(picks.map((p) => p.attributes('aria-pressed'))).toEqual(['false', 'false', 'true']);
    const picked = store.candidates[2].key;
    await tiles[0].get('[data-testid="region-accept"]').trigger('click'); // accepts the first edit, without picking it
    const pressed = wrapper.findAll('[data-testid="region-candidate-pick"]').map((p) => p.attributes('aria-pressed'));
    const keys = wrapper.findAll('[data-testid="region-candidate"]').map((t) => t.attributes('data-tokens'));
    expect(pressed.filter((p) => p === 'true')).toHaveLength(1);
    expect(keys[pressed.indexOf('true')]).toBe(Array.from(store.candidates.find((c) => c.key === picked)!.sentence.tokens).join(','));
    wrapper.unmount();
  });
});

describe('header comments', () => {
  it('name in their "Used by" lines only files that exist', () => {
    const sources = import.meta.glob<string>('../../src/renderer/**/*.{ts,vue}', { query: '?raw', import: 'default', eager: true });
    const files = Object.keys(sources).map((path) => path.replace('../../src/renderer/', ''));
    expect(files).toContain('stores/training.ts');
    const missing: string[] = [];
    for (const file of files) {
      const text = sources[`../../src/renderer/${file}`];
      const usedBy = /Used by[^]*?(?:\*\/|-->|\n\s*\*?\s*\n)/.exec(text)?.[0] ?? '';
      for (const [name] of usedBy.matchAll(/[\w./-]+\.(?:vue|ts)\b/g)) {
        if (name.includes('.test.')) continue; // the tests live outside src/renderer
        const bare = name.replace(/^\.\//, '');
        if (!files.some((f) => f === bare || f.endsWith(`/${bare}`))) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
