/**
 * The studio UI end to end: the built renderer in Debian's Chromium against the real
 * browser-mode server and engine. Browses the MNIST grid (virtualised, 60,000 images),
 * opens an image in the Inspector, moves the prefix slider and sees the decoded image and
 * PSNR change; survives a reload (token kept in sessionStorage); then, where the engine
 * provides them, trains (tiny preset), samples, edits a region, evaluates the trained
 * model (confusion matrix from the real judge) and exports / re-imports it. The pictures in
 * docs/screenshots come from screenshots.test.ts (SCREENSHOTS=1), not from this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, type TestBrowser } from './support/browser';
import { ensureRendererBuilt, startTestStudio, type TestStudio } from './support/studio';

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
  it('trains with the tiny preset and shows live metrics', async (ctx) => {
    const { page } = browser;
    await page.click(tid('nav-training'));
    await page.click(tid('preset-tiny'));
    await page.click('text=Advanced overrides');
    await page.locator(tid('train-train-overrides')).fill('steps = 6\nevalEvery = 3\nmetricsEvery = 1\ngalleryEvery = 3\ngallerySize = 4');
    await page.click(tid('train-start'));
    await expect.poll(async () => page.locator(tid('train-state')).textContent(), { timeout: 60_000 }).toMatch(/running|done|error|cancelled/);
    if ((await page.locator(tid('train-state')).textContent()) === 'error') ctx.skip(true, 'the engine cannot train yet');
    await expect.poll(async () => page.locator(tid('train-state')).textContent(), { timeout: 180_000 }).toMatch(/done|error/);
    const failure = (await page.locator(tid('train-error')).count()) ? await page.locator(tid('train-error')).textContent() : '';
    if (failure && /could not be loaded|not available/.test(failure)) ctx.skip(true, `the engine cannot train yet: ${failure}`);
    expect(await page.locator(tid('train-state')).textContent()).toBe('done');
    expect(await page.locator(tid('loss-chart')).count()).toBe(1);
  });

  it('samples from a model and scrubs the rollback slider', async (ctx) => {
    const models = await studio.call('models.list');
    if (!models.ok || !(models.value as unknown[]).length) ctx.skip(true, 'no models in this build');
    const { page } = browser;
    await page.click(tid('nav-sampler'));
    await page.locator(tid('sampler-count')).fill('2');
    await page.click(tid('sample-generate'));
    await expect.poll(() => page.locator(tid('sample-state')).textContent(), { timeout: 180_000 }).toBe('done');
    const slider = page.locator(tid('rollback-slider'));
    const max = Number(await slider.getAttribute('max'));
    await slider.fill(String(Math.floor(max / 2)));
    expect(await page.locator(tid('sample-cursor')).textContent()).toBe(String(Math.floor(max / 2)).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  });

  it('paints a region and generates candidates', async (ctx) => {
    const models = await studio.call('models.list');
    if (!models.ok || !(models.value as unknown[]).length) ctx.skip(true, 'no models in this build');
    const { page } = browser;
    await page.click(tid('nav-datasets'));
    await page.click(tid('split-train'));
    await page.click(tid('nav-region'));
    await page.click(tid('region-load-item'));
    const box = await page.locator(tid('mask-canvas')).boundingBox();
    if (!box) throw new Error('mask canvas not visible');
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 6 });
    await page.mouse.up();
    await page.locator(tid('region-count')).fill('2');
    await page.click(tid('region-generate'));
    await expect.poll(() => page.locator(tid('region-candidate')).count(), { timeout: 180_000 }).toBeGreaterThan(0);
  });

  it('evaluates the trained model: progress, then the confusion matrix from the judge', async (ctx) => {
    const models = await studio.call('models.list');
    if (!models.ok || !(models.value as unknown[]).length) ctx.skip(true, 'no models in this build');
    const { page } = browser;
    await page.click(tid('nav-evaluate'));
    await expect.poll(() => page.locator(`${tid('eval-model')} option`).count()).toBeGreaterThan(0);
    await page.locator(tid('eval-samples')).fill('10');
    await page.click(tid('eval-run'));
    await page.click(tid('jobs-toggle'));
    await expect.poll(() => page.locator(tid('job-eval')).count(), { timeout: 30_000 }).toBe(1); // the tray follows the job
    await page.click(tid('jobs-toggle'));
    await expect.poll(() => page.locator(tid('eval-report')).count(), { timeout: 180_000 }).toBe(1);
    expect(await page.locator(tid('confusion-matrix')).getAttribute('data-classes')).toBe('10');
    expect(await page.locator(tid('eval-consistency')).textContent()).toMatch(/^\d+\.\d%$/);
    expect(await page.locator(tid('eval-origin')).textContent()).toBe('just run');
    expect(await page.locator(tid('eval-backend')).textContent()).not.toBe('');
    expectCleanPage();
  });

  it('exports the model to a package and imports it back; a bad path gives a clear error', async (ctx) => {
    const models = await studio.call('models.list');
    if (!models.ok || !(models.value as unknown[]).length) ctx.skip(true, 'no models in this build');
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
