/**
 * The studio UI end to end: the built renderer in Debian's Chromium against the real
 * browser-mode server and engine. Browses the MNIST grid (virtualised, 60,000 images),
 * opens an image in the Inspector, moves the prefix slider and sees the decoded image and
 * PSNR change; survives a reload (token kept in sessionStorage); then trains (tiny preset)
 * until loss points arrive and stops it; samples and regenerates from the middle (the
 * prefix is kept); edits a region (no pixel outside its footprint changes, checked with
 * core/language); evaluates the stopped run's model (confusion matrix from the real judge)
 * and exports / re-imports it. Any engine failure fails a test. The pictures in
 * docs/screenshots come from screenshots.test.ts (SCREENSHOTS=1), not from this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, type TestBrowser } from './support/browser';
import { ensureRendererBuilt, startTestStudio, type TestStudio } from './support/studio';
import { decodeSentence, encodeImage, geometryFor, regionCoefficients, regionFootprint, type TokenizerConfig } from '../../src/core/language';

let studio: TestStudio;
let browser: TestBrowser;

beforeAll(async () => {
  expect(ensureRendererBuilt()).toBe(true);
  studio = await startTestStudio();
  browser = await launchBrowser({ width: 1440, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

const tid = (id: string): string => `[data-testid="${id}"]`;

/** Fails on any page error so far (the views must stay clean while they work). */
function expectCleanPage(): void {
  expect(browser.pageErrors).toEqual([]);
}

/** The decoded image canvas as a data URL (changes when the prefix changes). */
function decodedImage(): Promise<string> {
  return browser.page.locator(`${tid('inspector')} ${tid('decoded-image')}`).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

describe('datasets and inspector', () => {
  it('loads the shell, strips the token from the address and shows the MNIST grid', async () => {
    const { page } = browser;
    await page.goto(studio.url);
    await page.waitForFunction(() => !location.search.includes('token='));
    await expect.poll(() => page.locator(tid('thumb-grid')).getAttribute('data-total'), { timeout: 30_000 }).toBe('60000');
    await expect.poll(() => page.locator(tid('backend-badge')).textContent()).not.toContain('connecting');
    expect(await page.locator('header h1').textContent()).toBe('Datasets'); // a fresh workspace opens on Datasets ...
    expect(await page.locator(tid('dataset-mnist')).getAttribute('class')).toContain('on'); // ... with MNIST selected
    await page.click(tid('dataset-mnist'));
    expect(browser.pageErrors).toEqual([]);
  });

  it('scrolls deep into the grid, fetching only the visible pages, and opens an image', async () => {
    const { page } = browser;
    const grid = page.locator(tid('thumb-grid'));
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight * 0.75));
    await page.waitForTimeout(800);
    const box = await page.locator(tid('thumb-canvas')).boundingBox();
    if (!box) throw new Error('thumbnail canvas not visible');
    await page.mouse.click(box.x + 96, box.y + 96);
    await page.waitForSelector(tid('inspector'), { timeout: 30_000 });
    const title = await page.locator(tid('inspector-title')).textContent();
    const index = Number(/#(\d+)/.exec(title ?? '')?.[1]);
    expect(index).toBeGreaterThan(30_000); // opened an image from deep in the grid
  });

  it('moves the prefix slider: the image is re-decoded in the page and the PSNR drops', async () => {
    const { page } = browser;
    const count = Number((await page.locator(tid('prefix-count')).textContent())?.replace(/,/g, ''));
    expect(count).toBeGreaterThan(50);
    const fullImage = await decodedImage();
    const fullPsnr = parseFloat((await page.locator(tid('psnr')).textContent()) ?? '');
    await page.locator(tid('prefix-slider')).fill(String(Math.floor(count / 5)));
    await expect.poll(() => page.locator(tid('prefix-count')).textContent()).toBe(String(Math.floor(count / 5)));
    expect(await decodedImage()).not.toBe(fullImage);
    const partialPsnr = parseFloat((await page.locator(tid('psnr')).textContent()) ?? '');
    expect(partialPsnr).toBeLessThan(fullPsnr);
    await page.locator(`${tid('token-list')} ${tid(`token-${Math.floor(count / 5) - 1}`)}`).hover();
    expect(browser.pageErrors).toEqual([]);
  });

  it('keeps working after a reload (token from sessionStorage)', async () => {
    const { page } = browser;
    await page.reload();
    await expect.poll(() => page.locator(tid('thumb-grid')).getAttribute('data-total'), { timeout: 30_000 }).toBe('60000');
    await page.click(tid('split-test'));
    await expect.poll(() => page.locator(tid('thumb-grid')).getAttribute('data-total')).toBe('10000');
    await page.locator(tid('class-filter')).selectOption('7');
    await expect.poll(() => page.locator(tid('thumb-grid')).getAttribute('data-total')).toBe('1028'); // MNIST test has 1,028 sevens
    expect(browser.pageErrors).toEqual([]);
  });
});

describe('engine flows', () => {
  it('trains with the tiny preset, sees loss points arrive, then stops it', async () => {
    const { page } = browser;
    await page.click(tid('nav-training'));
    await page.click(tid('preset-tiny'));
    await page.click('text=Advanced overrides');
    // Long enough that the run is still going when Stop is clicked.
    await page.locator(tid('train-train-overrides')).fill('steps = 200\nevalEvery = 100\nmetricsEvery = 1\ncheckpointEvery = 100\ngalleryEvery = 100\ngallerySize = 2');
    await page.click(tid('train-start'));
    const chart = page.locator(tid('loss-chart'));
    const points = async (): Promise<number> => ((await chart.count()) ? Number(await chart.getAttribute('data-points')) : 0);
    await expect.poll(points, { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const initial = await points();
    await expect.poll(points, { timeout: 60_000, interval: 200 }).toBeGreaterThan(initial); // the count grows live
    expect(await points()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(tid('train-state')).textContent()).toBe('running');
    await page.click(tid('train-stop'));
    await expect.poll(() => page.locator(tid('train-state')).textContent(), { timeout: 60_000 }).toBe('cancelled');
    expect(await page.locator(tid('train-error')).count()).toBe(0);
    expect(await points()).toBeLessThan(200); // stopped before the end
    // The stopped run still leaves a model (its final checkpoint) for the flows below.
    await expect.poll(async () => ((await studio.call('models.list')).value as unknown[] | undefined)?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expectCleanPage();
  });

  it('samples, rolls back to the middle and regenerates: the new sentences keep the first k tokens', async () => {
    const { page } = browser;
    await page.click(tid('nav-sampler'));
    await page.locator(tid('sampler-count')).fill('1');
    await page.click(tid('sample-generate'));
    await expect.poll(() => page.locator(tid('sample-state')).textContent(), { timeout: 120_000 }).toBe('done');
    const first = page.locator(`${tid('candidate')}[data-done="true"]`).first();
    const original = await first.getAttribute('data-tokens');
    const firstJob = ((await first.getAttribute('data-key')) ?? '').split(':')[0];
    const oldTokens = (original ?? '').split(',').map(Number);
    expect(oldTokens.length).toBeGreaterThan(10);
    const slider = page.locator(tid('rollback-slider'));
    const max = Number(await slider.getAttribute('max'));
    expect(max).toBe(oldTokens.length);
    const k = Math.floor(max / 2);
    await slider.fill(String(k));
    expect(await page.locator(tid('sample-cursor')).textContent()).toBe(k.toLocaleString('en-US'));
    await page.locator(tid('sampler-count')).fill('2');
    await page.click(tid('regenerate-from-here'));
    const fresh = page.locator(`${tid('candidate')}[data-done="true"]:not([data-key^="${firstJob}:"])`); // the new job's candidates
    await expect.poll(() => fresh.count(), { timeout: 120_000 }).toBe(2);
    const regenerated = await Promise.all([0, 1].map(async (i) => ((await fresh.nth(i).getAttribute('data-tokens')) ?? '').split(',').map(Number)));
    for (const tokens of regenerated) {
      expect(tokens.slice(0, k)).toEqual(oldTokens.slice(0, k)); // the rolled-back prefix is kept exactly
      expect(tokens.length).toBeGreaterThan(k); // and a continuation was sampled
    }
    // The continuation is new: at least one differs from the old sentence after token k.
    expect(regenerated.some((t) => t.slice(k).join(',') !== oldTokens.slice(k).join(','))).toBe(true);
    expectCleanPage();
  });

  it('samples with classifier-free guidance: the job accepts the scale and the candidate names it', async () => {
    const { page } = browser;
    await page.click(tid('nav-sampler'));
    await page.locator(tid('sampler-count')).fill('1');
    await page.locator(tid('sampler-guidance')).fill('2');
    await page.click(tid('sample-generate'));
    await expect.poll(() => page.locator(tid('sample-state')).textContent(), { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.locator(tid('sampler-candidate-head')).textContent()).toMatch(/ p=[\d.]+ g=2$/);
    await page.locator(tid('sampler-guidance')).fill('1'); // later tests sample unguided
    expectCleanPage();
  });

  it('paints a region and regenerates: no pixel outside its footprint changes', async () => {
    const { page } = browser;
    // edit with the model trained above: a starter model may be confident enough to redraw
    // a small region exactly as it was, which would leave "something changed" unproven
    const listed = await studio.call('models.list');
    const runModel = (listed.value as { modelId: string; source: string }[]).find((m) => m.source === 'run');
    expect(runModel, 'the model trained by the training test').toBeDefined();
    await page.click(tid('nav-sampler'));
    await page.selectOption(tid('sampler-model'), runModel!.modelId);
    await page.click(tid('nav-datasets'));
    await page.click(tid('split-train'));
    await page.click(tid('nav-region'));
    await page.click(tid('region-load-item'));
    // "contained": only coefficients whose support lies inside the mask, so the footprint is
    // local (with "touching" the coarsest coefficients make it the whole image).
    await page.click(tid('selection-contained'));
    await page.locator(tid('brush-size')).fill('4');
    const box = await page.locator(tid('mask-canvas')).boundingBox();
    if (!box) throw new Error('mask canvas not visible');
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.35);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.65, { steps: 8 });
    await page.mouse.up();
    // a well-trained model often rewrites a small region exactly as it was: sample hot, several times
    await page.locator(tid('region-temperature')).fill('2');
    await page.locator(tid('region-count')).fill('6');
    await page.click(tid('region-generate'));
    await expect.poll(() => page.locator(tid('region-candidate')).count(), { timeout: 120_000 }).toBe(6);
    const strip = page.locator(tid('region-candidates'));
    const index = Number(await page.locator(tid('region-item-index')).inputValue());
    const item = await studio.call('datasets.item', { datasetId: 'mnist', split: 'train', index });
    expect(item.ok).toBe(true);
    const { width, height, pixels } = item.value as { width: number; height: number; pixels: string };
    // the page edits the item the API serves, coded in the language of the model that edits it
    const tokenizer = JSON.parse((await strip.getAttribute('data-tokenizer')) ?? 'null') as TokenizerConfig;
    const models = await studio.call('models.list');
    const same = (a: TokenizerConfig): boolean => a.wavelet === tokenizer.wavelet && a.finalExponent === tokenizer.finalExponent && a.variant === tokenizer.variant;
    expect(models.ok && (models.value as { tokenizer: TokenizerConfig }[]).some((m) => same(m.tokenizer))).toBe(true);
    const sourceTokens = ((await strip.getAttribute('data-source-tokens')) ?? '').split(',').map(Number);
    expect(sourceTokens).toEqual(Array.from(encodeImage(Uint8Array.from(Buffer.from(pixels, 'base64')), width, height, tokenizer).tokens));
    const mask = Uint8Array.from(((await strip.getAttribute('data-mask')) ?? '').split(''), Number);
    expect(mask.length).toBe(width * height);
    const painted = mask.reduce((n, v) => n + v, 0);
    expect(painted).toBeGreaterThan(0);
    expect(painted).toBeLessThan(width * height / 2);
    const selection = (await strip.getAttribute('data-selection')) as 'touching' | 'contained';
    expect(selection).toBe('contained');
    const geo = geometryFor(width, height);
    const footprint = regionFootprint(regionCoefficients(mask, width, height, geo, tokenizer.wavelet, selection), geo, tokenizer.wavelet);
    const outside = footprint.reduce((n, v) => n + (v ? 0 : 1), 0);
    expect(outside).toBeGreaterThan(width * height / 4); // the check below covers many real pixels
    const before = decodeSentence(Uint8Array.from(sourceTokens), Number(await strip.getAttribute('data-source-start-exponent')), geo, tokenizer).pixels;
    let changedInside = 0;
    for (const cand of await page.locator(tid('region-candidate')).all()) {
      const tokens = Uint8Array.from(((await cand.getAttribute('data-tokens')) ?? '').split(','), Number);
      const after = decodeSentence(tokens, Number(await cand.getAttribute('data-start-exponent')), geo, tokenizer).pixels;
      const changedOutside = [...after.keys()].filter((p) => !footprint[p] && after[p] !== before[p]);
      expect(changedOutside, 'pixels outside the footprint that changed').toEqual([]);
      if ([...after.keys()].some((p) => footprint[p] && after[p] !== before[p])) changedInside++;
    }
    expect(changedInside, 'candidates that changed the region').toBeGreaterThan(0);
    expectCleanPage();
  });

  it('evaluates the trained model: progress, then the confusion matrix from the judge', async () => {
    const { page } = browser;
    await page.click(tid('nav-evaluate'));
    await expect.poll(() => page.locator(`${tid('eval-model')} option`).count()).toBeGreaterThan(0);
    await page.locator(tid('eval-samples')).fill('10');
    await page.click(tid('eval-run'));
    await page.click(tid('jobs-toggle'));
    await expect.poll(() => page.locator(tid('job-eval')).count(), { timeout: 30_000 }).toBe(1); // the tray follows the job
    await page.click(tid('jobs-toggle'));
    // a model may ship a saved report: wait for the one this run makes
    await expect.poll(() => page.locator(tid('eval-origin')).textContent(), { timeout: 180_000 }).toBe('just run');
    expect(await page.locator(tid('eval-report')).count()).toBe(1);
    expect(await page.locator(tid('confusion-matrix')).getAttribute('data-classes')).toBe('10');
    expect(await page.locator(tid('eval-consistency')).textContent()).toMatch(/^\d+\.\d%$/);
    expect(await page.locator(tid('eval-backend')).textContent()).not.toBe('');
    expectCleanPage();
  });

  it('exports the model to a package and imports it back; a bad path gives a clear error', async () => {
    const { page } = browser;
    await page.click(tid('nav-sampler'));
    expect(await page.locator(tid('model-transfer-hint')).textContent()).toContain(join(studio.workspace, 'imports')); // browser mode says where
    await page.locator(tid('model-path')).fill('e2e-model.zip');
    await page.click(tid('model-export'));
    await expect.poll(() => page.locator(tid('model-transfer-result')).textContent()).toMatch(/^Exported .*e2e-model\.zip \(\d+ KiB\)\.$/);
    // Browser mode writes to <workspace>/exports and reads from <workspace>/imports: move it across.
    mkdirSync(join(studio.workspace, 'imports'), { recursive: true });
    copyFileSync(join(studio.workspace, 'exports', 'e2e-model.zip'), join(studio.workspace, 'imports', 'e2e-model.zip'));
    await page.click(tid('model-import'));
    await expect.poll(() => page.locator(tid('model-transfer-result')).textContent()).toMatch(/^Imported /);
    const after = await studio.call('models.list');
    expect((after.value as { source: string }[]).filter((m) => m.source === 'imported')).toHaveLength(1);
    await page.locator(tid('model-path')).fill('missing.zip');
    await page.click(tid('model-import'));
    await expect.poll(() => page.locator(tid('model-transfer-result')).textContent()).toMatch(/^Importing missing\.zip failed: .+; .+\.$/);
  });
});
