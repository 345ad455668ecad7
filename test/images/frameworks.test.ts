/**
 * `edgeship images` on real framework builds (test/fixtures/sites, made by the frameworks' own
 * tools), read as HTML: the loading intent each framework wrote is kept, and the framework's
 * own modern-format images are left alone. The browser test loads the same pages in Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { readManifest } from '../../src/images/manifest.js';
import { runImagesPipeline, type ImagesReport } from '../../src/images/pipeline.js';
import { copySite } from '../helpers/framework-sites.js';
import { tempProject } from './fixtures.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sites');
const IMAGES = { widths: [320, 640] };

/** Copies a committed build into a temporary project and runs the pipeline on it. */
async function imagesOn(from: string, site: string, images: Record<string, unknown> = {}) {
  const p = tempProject();
  fs.rmSync(p.site, { recursive: true, force: true });
  fs.cpSync(from, path.join(p.root, site), { recursive: true });
  const report = await runImagesPipeline(resolveConfig({ site, images: { ...IMAGES, ...images } }, p.root));
  const read = (rel: string) => fs.readFileSync(path.join(p.root, site, rel), 'utf8');
  return { p, report, read, siteDir: path.join(p.root, site) };
}

describe.each(['next-default', 'next-trailing'])('a Next.js 16 export (%s): <Image priority> and lazy cards', (fixture) => {
  let run: Awaited<ReturnType<typeof imagesOn>>;
  afterAll(() => run?.p.cleanup());

  it('makes the preload of the priority image responsive, with the same WebP files as its <img>', async () => {
    run = await imagesOn(path.join(fixtures, fixture, 'out'), 'out');
    expect(run.report.failures).toEqual([]);
    const html = run.read('index.html');
    const preload = /<link rel="preload" as="image" href="\/images\/team\.jpg" imagesrcset="([^"]+)" imagesizes="\(max-width: 1200px\) 100vw, 1200px" type="image\/webp" fetchpriority="high"\/>/.exec(html);
    expect(preload).not.toBeNull();
    expect(preload![1]).toMatch(/^\/images\/team\.[0-9a-f]{12}\.320\.webp 320w, \/images\/team\.[0-9a-f]{12}\.640\.webp 640w$/);
    expect(html).toContain(`class="hero" style="color:transparent" src="/images/team.jpg" srcset="${preload![1]}" sizes="(max-width: 1200px) 100vw, 1200px" fetchpriority="high"/>`);
    expect(run.report.html).toMatchObject({ images: 4, priority: 1, preloads: 1, defaultSizes: [] });
  });

  it('keeps every <img> an <img> (React hydrates the page), and the cards lazy as Next wrote them', () => {
    const html = run.read('index.html');
    expect(html).not.toContain('<picture>');
    const cards = html.match(/<img alt="(Packs|Ridges|Tents)"[^>]*>/g)!;
    expect(cards).toHaveLength(3);
    for (const card of cards) {
      expect(card).toMatch(/^<img alt="\w+" loading="lazy" width="600" height="400" decoding="async" data-nimg="1" style="color:transparent" src="\/images\/\w+\.(jpg|png)" srcset="[^"]+\.webp 640w" sizes="auto, \(max-width: 600px\) 100vw, 600px"\/>$/);
      expect(card).not.toContain('fetchpriority');
    }
  });
});

describe('an Astro 5 build: an astro:assets WebP hero with loading="eager"', () => {
  let run: Awaited<ReturnType<typeof imagesOn>>;
  let report: ImagesReport;
  afterAll(() => run?.p.cleanup());

  it("leaves Astro's WebP alone even when images.dir covers it, and makes the image below the eager hero lazy", async () => {
    const source = path.join(fixtures, 'astro/dist');
    const webp = fs.readdirSync(path.join(source, '_astro')).filter((f) => f.endsWith('.webp'));
    expect(webp).toHaveLength(1);
    run = await imagesOn(source, 'dist', { dir: '.' });
    report = run.report;
    expect(report).toMatchObject({ failures: [], modern: 1, sources: 1 });
    expect(fs.readFileSync(path.join(run.siteDir, '_astro', webp[0]!))).toEqual(fs.readFileSync(path.join(source, '_astro', webp[0]!)));
    expect(fs.readdirSync(path.join(run.siteDir, '_astro'))).toEqual(webp);
    expect(Object.keys((await readManifest(path.join(run.siteDir, 'manifest.json')))!.images)).toEqual(['/images/pack.jpg']);

    const html = run.read('index.html');
    const original = fs.readFileSync(path.join(source, 'index.html'), 'utf8');
    const hero = /<img src="\/_astro\/[^>]+>/.exec(original)![0];
    expect(html).toContain(hero);
    expect(html).toMatch(/<picture><source type="image\/avif" srcset="[^"]+" sizes="auto, \(max-width: 600px\) 100vw, 600px">.*<img src="\/images\/pack\.jpg" alt="Packs" width="600" height="400" srcset="[^"]+" sizes="auto, \(max-width: 600px\) 100vw, 600px" loading="lazy" decoding="async"><\/picture>/);
  });
});

describe('a Hugo build: a processed WebP hero', () => {
  let project: string;
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it("leaves Hugo's WebP alone, takes it for the priority image, and makes the image below it lazy", async () => {
    project = copySite('hugo'); // built with Debian's hugo into public/
    const processed = fs.readdirSync(path.join(project, 'public')).filter((f) => /^hero_hu.*\.webp$/.test(f));
    expect(processed).toHaveLength(1);
    const bytes = fs.readFileSync(path.join(project, 'public', processed[0]!));
    const report = await runImagesPipeline(resolveConfig({ site: 'public', images: IMAGES }, project));
    expect(report.failures).toEqual([]);
    expect(report.html).toMatchObject({ images: 1, priority: 0 });
    expect(fs.readFileSync(path.join(project, 'public', processed[0]!))).toEqual(bytes);
    const html = fs.readFileSync(path.join(project, 'public/index.html'), 'utf8');
    expect(html).toContain(`<img src="/${processed[0]}" width="1200" height="800" alt="The team on the ridge">`);
    expect(html).toMatch(/<img src="\/images\/pack\.jpg" alt="Packs" width="600" height="400" srcset="[^"]+" sizes="auto, \(max-width: 600px\) 100vw, 600px" loading="lazy" decoding="async"><\/picture>/);
  });
});
