/**
 * Regenerates docs/screenshots/*.png: every view of the built UI in Chromium at 1440x900
 * against the real engine, light theme, plus one dark shot. Skipped unless SCREENSHOTS=1:
 *
 *   npm run build:web && SCREENSHOTS=1 npx vitest run --config vitest.e2e.config.ts test/e2e/screenshots.test.ts
 *
 * With SCREENSHOT_MODEL=<model or run folder> (one holding a checkpoint, e.g. a starter
 * model) that model is packed, imported through the Sampler's Models panel and used for
 * the sampler, region and evaluate shots; without it, the tiny model trained for the
 * training shot is used. SCREENSHOT_EVAL_SAMPLES sets the evaluation size (default 50).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, type TestBrowser } from './support/browser';
import { ensureRendererBuilt, REPO_ROOT, startTestStudio, type TestStudio } from './support/studio';
import { exportModelPackage } from '../../src/node/models/package';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const MODEL_DIR = process.env.SCREENSHOT_MODEL;
const EVAL_SAMPLES = Number(process.env.SCREENSHOT_EVAL_SAMPLES ?? 50);
const tid = (id: string): string => `[data-testid="${id}"]`;

let studio: TestStudio;
let browser: TestBrowser;

async function shot(name: string): Promise<void> {
  const { page } = browser;
  await page.mouse.move(1439, 450); // no stray hover on the picture
  await page.waitForTimeout(400); // canvases and charts paint
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/**
 * Packs SCREENSHOT_MODEL into <workspace>/imports (where browser mode reads imports) and
 * returns the name to type; retries once because a live run may be swapping its checkpoint.
 */
async function packModel(dir: string): Promise<string> {
  mkdirSync(join(studio.workspace, 'imports'), { recursive: true });
  const out = join(studio.workspace, 'imports', 'model.zip');
  try {
    await exportModelPackage(dir, out);
  } catch {
    await new Promise((r) => setTimeout(r, 3000));
    await exportModelPackage(dir, out);
  }
  return 'model.zip';
}

describe.skipIf(!process.env.SCREENSHOTS)('screenshots for docs/screenshots', () => {
  beforeAll(async () => {
    expect(ensureRendererBuilt()).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    studio = await startTestStudio();
    browser = await launchBrowser({ width: 1440, height: 900 });
    await browser.page.addInitScript(() => {
      if (!sessionStorage.getItem('shots.theme-set')) {
        localStorage.setItem('wavelet-studio.theme', 'light');
        sessionStorage.setItem('shots.theme-set', '1');
      }
    });
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  it('datasets: MNIST grid with class statistics', async () => {
    const { page } = browser;
    await page.goto(studio.url);
    await expect.poll(() => page.locator(tid('thumb-grid')).getAttribute('data-total'), { timeout: 60_000 }).toBe('60000');
    await expect.poll(() => page.locator(tid('backend-badge')).textContent()).not.toContain('connecting');
    await shot('datasets');
  });

  it('inspector: a digit cut to a third of its sentence, one token highlighted', async () => {
    const { page } = browser;
    const box = await page.locator(tid('thumb-canvas')).boundingBox();
    if (!box) throw new Error('thumbnail canvas not visible');
    await page.mouse.click(box.x + 32 + 64 * 2, box.y + 32);
    await page.waitForSelector(tid('inspector'), { timeout: 30_000 });
    const count = Number((await page.locator(tid('prefix-count')).textContent())?.replace(/,/g, ''));
    const cut = Math.floor(count / 3);
    await page.locator(tid('prefix-slider')).fill(String(cut));
    await page.locator(`${tid('token-list')} ${tid(`token-${cut - 1}`)}`).hover();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, 'inspector.png') }); // keep the hover: it lights the token's slot
  });

  it('training: live loss curves and the sample gallery', async () => {
    const { page } = browser;
    await page.click(tid('nav-training'));
    await page.click(tid('preset-tiny'));
    await page.click('text=Advanced overrides');
    await page.locator(tid('train-train-overrides')).fill('steps = 40\nevalEvery = 8\nmetricsEvery = 1\ngalleryEvery = 10\ngallerySize = 6');
    await page.click(tid('train-start'));
    // Shoot while it runs, once the chart and two gallery rows are there.
    await expect.poll(async () => (await page.locator(tid('train-state')).textContent()) === 'done' || (await page.locator(tid('gallery-row')).count()) >= 2, { timeout: 300_000 }).toBe(true);
    await shot('training');
    await expect.poll(() => page.locator(tid('train-state')).textContent(), { timeout: 300_000 }).toBe('done');
  }, 900_000);

  it('sampler: the Models panel imports a model; candidates, rolled back to mid-sentence', async () => {
    const { page } = browser;
    await page.click(tid('nav-sampler'));
    if (MODEL_DIR) {
      await page.locator(tid('model-path')).fill(await packModel(MODEL_DIR));
      await page.click(tid('model-import'));
      await expect.poll(() => page.locator(tid('model-transfer-result')).textContent(), { timeout: 60_000 }).toMatch(/^Imported /);
    }
    await page.locator(tid('sampler-class')).selectOption('3');
    await page.locator(tid('sampler-seed')).fill('7');
    await page.locator(tid('sampler-count')).fill('6');
    await page.click(tid('sample-generate'));
    await expect.poll(() => page.locator(tid('sample-state')).textContent(), { timeout: 300_000 }).toBe('done');
    await expect.poll(() => page.locator(`${tid('candidate')} .mono`).allTextContents(), { timeout: 300_000 }).not.toContain('…');
    await page.locator(tid('candidate')).nth(1).click();
    await page.locator(tid('candidate-keep')).nth(1).click();
    const slider = page.locator(tid('rollback-slider'));
    await slider.fill(String(Math.floor(Number(await slider.getAttribute('max')) * 0.45)));
    await shot('sampler');
  }, 900_000);

  it('region editor: a painted mask, its owned coefficients and candidates', async () => {
    const { page } = browser;
    await page.click(tid('nav-datasets'));
    await page.click(tid('split-train'));
    await page.click(tid('nav-region'));
    await page.locator(tid('region-item-index')).fill('0');
    await page.click(tid('region-load-item'));
    const box = await page.locator(tid('mask-canvas')).boundingBox();
    if (!box) throw new Error('mask canvas not visible');
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.55, { steps: 10 });
    await page.mouse.up();
    await page.click(tid('selection-contained')); // only coefficients inside the mask: a local edit
    await page.locator(tid('region-count')).fill('4');
    await page.click(tid('region-generate'));
    await expect.poll(() => page.locator(tid('region-candidate')).count(), { timeout: 300_000 }).toBe(4);
    await page.locator(tid('region-candidate')).nth(0).click();
    await shot('region');
  }, 900_000);

  it('evaluate: the report of a fresh evaluation, then the same in the dark theme', async () => {
    const { page } = browser;
    await page.click(tid('nav-evaluate'));
    await expect.poll(() => page.locator(`${tid('eval-model')} option`).count()).toBeGreaterThan(0);
    await page.locator(tid('eval-samples')).fill(String(EVAL_SAMPLES));
    await page.click(tid('eval-run'));
    await expect.poll(() => page.locator(tid('eval-report')).count(), { timeout: 600_000 }).toBe(1);
    await shot('evaluate');
    await page.click(tid('theme-toggle'));
    await shot('evaluate-dark');
    expect(browser.pageErrors).toEqual([]);
  }, 900_000);
});
