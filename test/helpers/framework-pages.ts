/**
 * Real framework builds ready for a browser: a copy of each committed build (Hugo's built from
 * source by `framework-sites.ts`; the example by its own build script) in a temporary project,
 * before and after `edgeship images` with a minimal config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../src/config/load.js';
import { runImagesPipeline, type ImagesReport } from '../../src/images/pipeline.js';
import { copySite } from './framework-sites.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repo, 'test/fixtures/sites');

export type SiteName = 'next' | 'astro' | 'hugo' | 'example';

export interface FrameworkPage {
  name: SiteName;
  /** What the page is, for tables. */
  label: string;
  /** Page to open. */
  page: string;
  /** URL paths of the hero: any file made from it (or the framework's own modern file). */
  hero: RegExp;
  /** URL paths of the hero's original, which the page should never fetch after `edgeship images`. */
  heroOriginal: RegExp;
  /** The build folder inside the project, as `site` in the config. */
  site: string;
  /** The framework already made the hero AVIF or WebP (`edgeship images` leaves it alone). */
  heroModern: boolean;
}

export const PAGES: Record<SiteName, FrameworkPage> = {
  next: { name: 'next', label: 'Next.js 16 export, `<Image priority>`', page: '/', hero: /^\/images\/team\./, heroOriginal: /^\/images\/team\.jpg$/, site: 'out', heroModern: false },
  astro: { name: 'astro', label: 'Astro 5, `astro:assets` hero', page: '/', hero: /^\/_astro\/hero\./, heroOriginal: /hero\.jpg$/, site: 'dist', heroModern: true },
  hugo: { name: 'hugo', label: 'Hugo, processed WebP hero', page: '/', hero: /^\/hero_hu/, heroOriginal: /^\/hero\.jpg$/, site: 'public', heroModern: true },
  example: { name: 'example', label: 'examples/marketing', page: '/', hero: /^\/images\/hero\./, heroOriginal: /^\/images\/hero\.jpg$/, site: 'out', heroModern: false },
};

export interface PreparedSite {
  root: string;
  siteDir: string;
  cleanup(): void;
}

export interface BeforeAfter {
  before: PreparedSite;
  /** A copy of `before` after `edgeship images` with a minimal config (`site` only, the image defaults). */
  after: PreparedSite & { images: ImagesReport };
  cleanup(): void;
}

/**
 * Builds (or copies) the site once, under `.edgeship/` in the repository (the example's build
 * resolves sharp from the project's node_modules), copies it, and runs `edgeship images` on the copy.
 */
export async function prepareBeforeAfter(name: SiteName): Promise<BeforeAfter> {
  fs.mkdirSync(path.join(repo, '.edgeship'), { recursive: true });
  const work = fs.mkdtempSync(path.join(repo, '.edgeship', `pages-${name}-`));
  const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
  try {
    const project = (which: string): PreparedSite => ({ root: path.join(work, which), siteDir: path.join(work, which, PAGES[name].site), cleanup });
    const before = project('before');
    await build(name, before.root, before.siteDir);
    const after = project('after');
    fs.cpSync(before.siteDir, after.siteDir, { recursive: true });
    const images = await runImagesPipeline(resolveConfig({ site: PAGES[name].site }, after.root));
    return { before, after: { ...after, images }, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

async function build(name: SiteName, root: string, siteDir: string): Promise<void> {
  switch (name) {
    case 'next':
      fs.cpSync(path.join(fixtures, 'next-default/out'), siteDir, { recursive: true });
      return;
    case 'astro':
      fs.cpSync(path.join(fixtures, 'astro/dist'), siteDir, { recursive: true });
      return;
    case 'hugo': {
      const project = copySite('hugo'); // built there with Debian's hugo
      fs.cpSync(path.join(project, 'public'), siteDir, { recursive: true });
      fs.rmSync(project, { recursive: true, force: true });
      return;
    }
    case 'example': {
      const example = path.join(root, 'example');
      fs.cpSync(path.join(repo, 'examples/marketing'), example, { recursive: true, filter: (src) => !/[/\\](out|\.edgeship)$/.test(src) });
      const { build: buildExample } = (await import(path.join(example, 'build.mjs'))) as { build: () => Promise<{ out: string }> };
      const { out } = await buildExample();
      if (out !== siteDir) fs.renameSync(out, siteDir);
      return;
    }
  }
}
