/**
 * The current theme as a reactive flag, for canvases that pick colours in script (the
 * document's data-theme attribute is set by App.vue).
 * Used by: components/MosaicCanvas.vue, MetricChart.vue, SignificanceMaps.vue, ConfusionMatrix.vue.
 */
import { ref, type Ref } from 'vue';

const dark = ref(false);
let watching = false;

export function useDarkTheme(): Ref<boolean> {
  if (!watching && typeof document !== 'undefined') {
    watching = true;
    const read = (): void => {
      dark.value = document.documentElement.dataset.theme === 'dark';
    };
    read();
    new MutationObserver(read).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }
  return dark;
}

/** Reads a CSS variable of the document (colours for canvas drawing). */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
