// @vitest-environment happy-dom
/**
 * "Choose…" buttons (fake API): in the desktop app the import dialog and the Models panel
 * fill their read-only path fields from system.pickPath, with the right purpose; in browser
 * mode there is no button and the field stays editable.
 */
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { setApi } from '../../src/renderer/api';
import { useAppStore } from '../../src/renderer/stores/app';
import ImportDialog from '../../src/renderer/components/ImportDialog.vue';
import ModelTransfer from '../../src/renderer/components/ModelTransfer.vue';
import { createFakeApi, type FakeApi } from './fake-api';

async function start(mode: 'electron' | 'browser', picked: string): Promise<{ fake: FakeApi; pinia: Pinia }> {
  const fake = createFakeApi({
    'system.info': () => ({ version: '0.1.0', mode, workspace: '/w', backends: [] }),
    'system.pickPath': () => ({ path: picked }),
  });
  setApi(fake.api);
  const pinia = createPinia();
  setActivePinia(pinia);
  await useAppStore().loadInfo();
  return { fake, pinia };
}

describe('Choose… in the desktop app', () => {
  it('fills the import dialog folder field from a folder dialog; the field is read-only', async () => {
    const { fake, pinia } = await start('electron', '/home/u/digits');
    const wrapper = mount(ImportDialog, { global: { plugins: [pinia] } });
    const field = wrapper.get('[data-testid="import-path"]');
    expect(field.attributes('readonly')).toBeDefined();
    await wrapper.get('[data-testid="choose-path"]').trigger('click');
    await flushPromises();
    expect((field.element as HTMLInputElement).value).toBe('/home/u/digits');
    expect(fake.calls.at(-1)).toEqual({ channel: 'system.pickPath', request: { purpose: 'import-folder' } });
    wrapper.unmount();
  });

  it('fills the Models panel for export with a save dialog and enables only Export', async () => {
    const { fake, pinia } = await start('electron', '/home/u/out.zip');
    const wrapper = mount(ModelTransfer, { global: { plugins: [pinia] } });
    const { useSamplerStore } = await import('../../src/renderer/stores/sampler');
    useSamplerStore().modelId = 'm1';
    await flushPromises();
    await wrapper.get('[data-testid="model-choose-export"]').trigger('click');
    await flushPromises();
    expect((wrapper.get('[data-testid="model-path"]').element as HTMLInputElement).value).toBe('/home/u/out.zip');
    expect(fake.calls.at(-1)).toEqual({ channel: 'system.pickPath', request: { purpose: 'export-model' } });
    expect(wrapper.get('[data-testid="model-export"]').attributes('disabled')).toBeUndefined();
    expect(wrapper.get('[data-testid="model-import"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('browser mode: no Choose button and an editable field', async () => {
    const { pinia } = await start('browser', '/ignored');
    const wrapper = mount(ImportDialog, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="choose-path"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="import-path"]').attributes('readonly')).toBeUndefined();
    const panel = mount(ModelTransfer, { global: { plugins: [pinia] } });
    expect(panel.find('[data-testid="model-choose-import"]').exists()).toBe(false);
    wrapper.unmount();
    panel.unmount();
  });
});
