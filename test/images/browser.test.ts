/**
 * The rewritten pages in a real browser (Debian's Chromium driven by playwright-core): the
 * variants it picks, layout shift, and, on real framework builds, that each image is fetched
 * once, the hero early and in a modern format, never its original.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImagesPipeline } from '../../src/images/pipeline.js';
import { findChromium, launchChromium } from '../helpers/chromium.js';
import { PAGES, prepareBeforeAfter, type BeforeAfter, type SiteName } from '../helpers/framework-pages.js';
import { loadPageImages, VIEWPORTS, type PageImages } from '../helpers/page-images.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { photo, siteModel, tempProject } from './fixtures.js';

const CHROMIUM = findChromium();

const PAGE = (title: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body { margin: 0; width: 800px } img { max-width: 100%; height: auto; display: block }</style></head>
<body><h1>${title}</h1><img src="/images/hero.jpg" alt="hero"><img src="/images/logo.png" alt="logo"><p id="below">text below the images</p></body></html>
`;

/** Records the page's cumulative layout shift (the Layout Instability API, as Core Web Vitals counts it). */
const CLS_OBSERVER = `window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });`;

let browser: Browser;
beforeAll(async () => {
  if (CHROMIUM) browser = await launchChromium(CHROMIUM);
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!CHROMIUM)('a browser renders the rewritten page', () => {
  const p = tempProject();
  let server: StaticServer;

  beforeAll(async () => {
    await (await photo(800, 500)).jpeg({ quality: 90 }).toFile(path.join(p.images, 'hero.jpg'));
    await (await photo(400, 200, { alpha: true })).png().toFile(path.join(p.images, 'logo.png'));
    fs.writeFileSync(path.join(p.site, 'index.html'), PAGE('rewritten'));
    fs.writeFileSync(path.join(p.site, 'plain.html'), PAGE('plain'));
    const report = await runImagesPipeline(siteModel(p.root, { widths: [320, 640] }));
    expect(report.failures).toEqual([]);
    fs.writeFileSync(path.join(p.site, 'plain.html'), PAGE('plain')); // the control keeps bare <img> tags
    // Images answer late, so the first layout happens without them, as on a slow network.
    server = await serveFolder(p.site, { imageDelayMs: 300 });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    p.cleanup();
  });

  async function load(page: string) {
    const tab = await browser.newPage({ viewport: { width: 800, height: 1400 } });
    await tab.addInitScript(CLS_OBSERVER);
    await tab.goto(`${server.url}/${page}`);
    await tab.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const result = await tab.evaluate(() => ({
      cls: (window as unknown as { __cls: number }).__cls,
      images: [...document.images].map((i) => ({ src: i.currentSrc, w: i.getBoundingClientRect().width, h: i.getBoundingClientRect().height })),
    }));
    await tab.close();
    return result;
  }

  it('picks the AVIF variant sized for the slot and shifts nothing while images load', async () => {
    const { cls, images } = await load('index.html');
    // The hero (800 px slot) at the largest width configured; the lazy logo (400 px source) at
    // its own width, for its laid-out 400 px (sizes="auto").
    expect(images[0]!.src).toMatch(/\/images\/hero\.[0-9a-f]+\.640\.avif$/);
    expect(images[1]!.src).toMatch(/\/images\/logo\.[0-9a-f]+\.400\.avif$/);
    expect(images[0]).toMatchObject({ w: 800, h: 500 });
    expect(images[1]).toMatchObject({ w: 400, h: 200 });
    expect(cls).toBe(0);
  });

  it('(control) the same page without the rewrite does shift', async () => {
    const { cls, images } = await load('plain.html');
    expect(images[0]!.src).toMatch(/\/images\/hero\.jpg$/);
    expect(cls).toBeGreaterThan(0);
  });
});

const FRAMEWORK_PAGES: SiteName[] = ['next', 'astro', 'hugo', 'example'];

describe.skipIf(!CHROMIUM).each(FRAMEWORK_PAGES)('the %s page after `edgeship images`', (name) => {
  const spec = PAGES[name];
  let sites: BeforeAfter;
  let servers: StaticServer[] = [];
  const loads: Record<string, PageImages> = {};

  beforeAll(async () => {
    sites = await prepareBeforeAfter(name);
    expect(sites.after.images.failures).toEqual([]);
    servers = [await serveFolder(sites.before.siteDir), await serveFolder(sites.after.siteDir)];
    for (const [viewport, size] of Object.entries(VIEWPORTS)) {
      loads[`before ${viewport}`] = await loadPageImages(browser, `${servers[0]!.url}${spec.page}`, size);
      loads[`after ${viewport}`] = await loadPageImages(browser, `${servers[1]!.url}${spec.page}`, size);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    sites?.cleanup();
  });

  it.skipIf(spec.heroModern)('(control) before `edgeship images`, the page fetched the original of its hero', () => {
    for (const viewport of Object.keys(VIEWPORTS)) {
      expect(loads[`before ${viewport}`]!.requests.filter((r) => spec.heroOriginal.test(r.path))).toHaveLength(1);
    }
  });

  it.each(Object.keys(VIEWPORTS))('at the %s size, fetches the hero exactly once, in AVIF or WebP, and never its original', (viewport) => {
    const { requests, images } = loads[`after ${viewport}`]!;
    const hero = requests.filter((r) => spec.hero.test(r.path));
    expect(hero).toHaveLength(1);
    expect(hero[0]!.contentType).toMatch(/^image\/(avif|webp)$/);
    expect(requests.filter((r) => spec.heroOriginal.test(r.path))).toEqual([]);
    // The hero the page shows (after hydration, on Next.js) is that file, in the first viewport, not lazy.
    const shown = images.find((i) => spec.hero.test(i.current));
    expect(shown).toMatchObject({ current: hero[0]!.path, inFirstViewport: true });
    expect(shown!.loading).not.toBe('lazy');
  });

  it.each(Object.keys(VIEWPORTS))('at the %s size, fetches each file once, and no more image bytes for the first viewport than before (fewer where the hero was not modern)', (viewport) => {
    const now = loads[`after ${viewport}`]!;
    const then = loads[`before ${viewport}`]!;
    const paths = now.requests.map((r) => r.path);
    expect(paths).toEqual([...new Set(paths)]);
    if (spec.heroModern) {
      // The framework's own AVIF/WebP hero is left as it is: the same file, the same bytes.
      const hero = (load: PageImages) => load.requests.filter((r) => spec.hero.test(r.path));
      expect(hero(now)).toEqual(hero(then));
      expect(now.firstViewportBytes).toBeLessThanOrEqual(then.firstViewportBytes);
    } else {
      expect(now.firstViewportBytes).toBeLessThan(then.firstViewportBytes);
    }
  });
});
