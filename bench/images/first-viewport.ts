/**
 * Image bytes a real Chromium fetches for the first viewport of real framework pages, before
 * and after `edgeship images`, on a laptop (1280x900) and a phone (390x844 at 3x). The table in
 * docs/images.md ("Real pages") is this script's output.
 *
 *   npx jiti bench/images/first-viewport.ts
 *
 * "first viewport" counts every image fetched while the page loads (no scrolling, until the
 * network is idle, hydration included) except those shown only below the first viewport; a
 * preloaded file that nothing shows counts. "on load" counts every image fetched.
 */
import { findChromium, launchChromium } from '../../test/helpers/chromium.js';
import { PAGES, prepareBeforeAfter, type SiteName } from '../../test/helpers/framework-pages.js';
import { loadPageImages, VIEWPORTS, type PageImages } from '../../test/helpers/page-images.js';
import { serveFolder } from '../../test/helpers/static-server.js';

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
function change(before: number, after: number): string {
  if (before === 0 || after === before) return before === 0 ? '' : '0%';
  return `${after < before ? '-' : '+'}${Math.round((Math.abs(before - after) / before) * 100)}%`;
}

function heroCell(load: PageImages, name: SiteName): string {
  const hero = load.requests.filter((r) => PAGES[name].hero.test(r.path));
  return hero.map((r) => `${r.contentType.replace('image/', '')} ${kB(r.bytes)}`).join(' + ') || 'none';
}

async function measure(name: SiteName, executablePath: string): Promise<string[]> {
  const sites = await prepareBeforeAfter(name);
  const servers = [await serveFolder(sites.before.siteDir), await serveFolder(sites.after.siteDir)];
  const browser = await launchChromium(executablePath);
  const rows: string[] = [];
  try {
    for (const size of Object.values(VIEWPORTS)) {
      const [b, a] = [await loadPageImages(browser, `${servers[0]!.url}${PAGES[name].page}`, size), await loadPageImages(browser, `${servers[1]!.url}${PAGES[name].page}`, size)];
      rows.push(
        `| ${PAGES[name].label} | ${size.width}x${size.height}${size.deviceScaleFactor > 1 ? ` @${size.deviceScaleFactor}x` : ''} ` +
          `| ${kB(b.firstViewportBytes)} | ${kB(a.firstViewportBytes)} | ${change(b.firstViewportBytes, a.firstViewportBytes)} ` +
          `| ${kB(b.loadBytes)} (${b.requests.length}) | ${kB(a.loadBytes)} (${a.requests.length}) ` +
          `| ${heroCell(b, name)} | ${heroCell(a, name)} |`,
      );
    }
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.close()));
    sites.cleanup();
  }
  return rows;
}

const executablePath = findChromium();
if (!executablePath) throw new Error('Chromium not found: install Debian chromium or set CHROMIUM_PATH');
const names: SiteName[] = ['next', 'astro', 'hugo', 'example'];
console.log('| page | viewport | first viewport before | after | change | on load before (requests) | after (requests) | hero before | hero after |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of names) for (const row of await measure(name, executablePath)) console.log(row);
