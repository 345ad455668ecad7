/**
 * The example site in a real browser (Debian's Chromium driven by playwright-core), served by
 * the local edge from the embedded store after `images` and `deploy`, as `npm run demo` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { runImagesPipeline } from '../../src/images/pipeline.js';
import { openStore } from '../../src/store/open.js';
import type { ObjectStore } from '../../src/store/types.js';
import { findChromium, launchChromium } from '../helpers/chromium.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = findChromium();

let work: string;
let site: SiteModel;
let store: ObjectStore;
let edge: RunningEdge;
let browser: Browser;

async function buildAndDeploy(revision: string): Promise<void> {
  // A fresh import per build: the example's build script is a plain module of the example.
  const { build } = (await import(`${path.join(work, 'build.mjs')}?r=${revision || 'first'}`)) as { build: (o: { revision: string }) => Promise<unknown> };
  await build({ revision });
  const images = await runImagesPipeline(site);
  expect(images.failures).toEqual([]);
  await deploySite(site, { target: 'local' });
}

beforeAll(async () => {
  if (!CHROMIUM) return; // no Chromium outside CI: the suite below is skipped
  // Inside the repository so that the example resolves sharp from the project's node_modules.
  fs.mkdirSync(path.join(repo, '.edgeship'), { recursive: true });
  work = fs.mkdtempSync(path.join(repo, '.edgeship', 'e2e-browser-'));
  fs.cpSync(path.join(repo, 'examples/marketing'), work, {
    recursive: true,
    filter: (src) => !/[/\\](out|\.edgeship)$/.test(src),
  });
  site = await loadConfig({ cwd: work });
  await buildAndDeploy('');
  store = openStore(site.targets.local!.store);
  edge = await startEdge({ site, store, port: 0 });
  browser = await launchChromium(CHROMIUM);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await edge?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Opens a path in a fresh context (an empty browser cache), recording what went wrong and every response. */
async function visit(urlPath: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 4000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const responses: Response[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    responses.push(r);
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  await page.goto(`${edge.url}${urlPath}`, { waitUntil: 'load' });
  // Every image, lazy ones included (the tall viewport brings them all into range), decoded.
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 20_000 });
  return { page, context, problems, responses };
}

const images = (page: Page) =>
  page.$$eval('img', (all) => all.map((img) => ({ src: img.currentSrc, natural: img.naturalWidth, inPicture: img.parentElement?.tagName === 'PICTURE', width: img.getAttribute('width'), height: img.getAttribute('height') })));

describe.skipIf(!CHROMIUM)('the example site in Chromium through the local edge', () => {
  it('loads the home page with no console errors and no failed requests; every image decodes', async () => {
    const { page, context, problems } = await visit('/');
    expect(problems).toEqual([]);
    const imgs = await images(page);
    expect(imgs.length).toBeGreaterThanOrEqual(4);
    for (const img of imgs) {
      expect(img.natural, img.src).toBeGreaterThan(0);
      // width and height from the manifest: the browser reserves the space, no layout shift
      expect(img.width, img.src).toMatch(/^\d+$/);
      expect(img.height, img.src).toMatch(/^\d+$/);
    }
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(repo, 'docs/demo.png') });
    }
    await context.close();
  });

  it('the <picture> images arrive as AVIF', async () => {
    const { page, context, responses } = await visit('/');
    const pictured = (await images(page)).filter((i) => i.inPicture);
    expect(pictured.length).toBeGreaterThanOrEqual(4);
    for (const img of pictured) {
      expect(img.src, 'the browser picked the AVIF source').toMatch(/\.avif$/);
      const res = responses.find((r) => r.url() === img.src);
      expect(res?.headers()['content-type']).toBe('image/avif');
    }
    await context.close();
  });

  it('a second visit gets its assets from the edge cache (X-Cache: Hit)', async () => {
    (await visit('/')).context.close();
    const { context, responses } = await visit('/');
    const assets = responses.filter((r) => /\/(_next\/static|images)\//.test(new URL(r.url()).pathname));
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const r of assets) expect(`${r.url()} ${r.headers()['x-cache']}`).toBe(`${r.url()} Hit from cloudfront`);
    await context.close();
  });

  it('after an edit and a redeploy the change shows at once, while a tab opened before still loads its old chunks', async () => {
    const before = await visit('/about/');
    const oldChunk = await before.page.$$eval('script[src*="/chunks/main-"]', (s) => (s[0] as HTMLScriptElement).src);
    expect(await before.page.textContent('main')).not.toContain('Updated: r2');

    await buildAndDeploy('r2');
    expect(fs.existsSync(path.join(site.siteDir, new URL(oldChunk).pathname))).toBe(false); // the rebuild dropped it

    const after = await visit('/about/');
    expect(after.problems).toEqual([]);
    expect(await after.page.textContent('main')).toContain('Updated: r2'); // invalidation reached the edge
    const newChunk = await after.page.$$eval('script[src*="/chunks/main-"]', (s) => (s[0] as HTMLScriptElement).src);
    expect(newChunk).not.toBe(oldChunk);

    // The old tab's chunk is retained in the store, so a lazy load from old HTML still works.
    const status = await before.page.evaluate(async (url) => (await fetch(url, { cache: 'no-store' })).status, oldChunk);
    expect(status).toBe(200);
    await before.context.close();
    await after.context.close();
  });
});
