import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../src/behavior/headers.js';
import { runImagesPipeline } from '../../src/images/pipeline.js';
import { photo, siteModel, tempProject } from './fixtures.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((f) => fs.existsSync(f));

const PAGE = (title: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body { margin: 0; width: 800px } img { max-width: 100%; height: auto; display: block }</style></head>
<body><h1>${title}</h1><img src="/images/hero.jpg" alt="hero"><img src="/images/logo.png" alt="logo"><p id="below">text below the images</p></body></html>
`;

/** Records the page's cumulative layout shift (the Layout Instability API, as Core Web Vitals counts it). */
const CLS_OBSERVER = `window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: 'layout-shift', buffered: true });`;

describe.skipIf(!CHROMIUM)('a browser renders the rewritten page', () => {
  const p = tempProject();
  let server: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    await (await photo(800, 500)).jpeg({ quality: 90 }).toFile(path.join(p.images, 'hero.jpg'));
    await (await photo(400, 200, { alpha: true })).png().toFile(path.join(p.images, 'logo.png'));
    fs.writeFileSync(path.join(p.site, 'index.html'), PAGE('rewritten'));
    fs.writeFileSync(path.join(p.site, 'plain.html'), PAGE('plain'));
    const report = await runImagesPipeline(siteModel(p.root, { widths: [320, 640] }));
    expect(report.failures).toEqual([]);
    fs.writeFileSync(path.join(p.site, 'plain.html'), PAGE('plain')); // the control keeps bare <img> tags
    // Images answer late, so the first layout happens without them, as on a slow network.
    server = http.createServer((req, res) => {
      const file = path.join(p.site, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(p.site) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const send = () => res.writeHead(200, { 'content-type': contentTypeFor(file) }).end(fs.readFileSync(file));
      if (file.endsWith('.html')) send();
      else setTimeout(send, 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    p.cleanup();
  });

  async function load(page: string) {
    const tab = await browser.newPage({ viewport: { width: 800, height: 1400 } });
    await tab.addInitScript(CLS_OBSERVER);
    await tab.goto(`${base}/${page}`);
    await tab.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const result = await tab.evaluate(() => ({
      cls: (window as unknown as { __cls: number }).__cls,
      images: [...document.images].map((i) => ({ src: i.currentSrc, w: i.getBoundingClientRect().width, h: i.getBoundingClientRect().height })),
    }));
    await tab.close();
    return result;
  }

  it('picks the AVIF variant sized for the viewport and shifts nothing while images load', async () => {
    const { cls, images } = await load('index.html');
    expect(images[0]!.src).toMatch(/\/images\/hero\.[0-9a-f]+\.640\.avif$/);
    expect(images[1]!.src).toMatch(/\/images\/logo\.[0-9a-f]+\.320\.avif$/);
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
