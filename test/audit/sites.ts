/**
 * The example site the fixtures start from: a small Next.js-style static export under the
 * `nextjs-export` preset, right in every respect audit checks. Each broken fixture changes one
 * thing.
 */
import { presetFiles } from '../../src/cli/init.js';
import { nextjsExport } from '../../src/config/presets/index.js';
import type { BehaviorConfig } from '../../src/config/schema.js';
import type { Fixture } from './fixture.js';

export const DOMAIN = 'example.com';
export const CSS = '_next/static/css/ab12cd34ef56.css';
export const MAIN_JS = '_next/static/chunks/main-3f9a2c1b4d5e6f70.js';
export const BUILD_MANIFEST = '_next/static/kUy2qLzSXyDkVqS4S7Adz/_buildManifest.js';
export const HERO = 'images/hero.3f9a2c1b.640';

/** Text long enough to be worth compressing (over 1 KB). */
const filler = (topic: string) =>
  Array.from({ length: 12 }, (_, i) => `<p>${topic}, paragraph ${i + 1}: static pages served from object storage behind a CDN stay fast when caching is right.</p>`).join('\n');

export function page(title: string, body: string, extraHead = ''): string {
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/${CSS}">
<link rel="icon" href="/favicon.ico">
<script src="/${MAIN_JS}" defer></script>
<script src="/${BUILD_MANIFEST}" defer></script>
${extraHead}
</head><body>
<nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/blog/first-post/">Blog</a> <a href="https://github.com/example/site">Source</a></nav>
<main><h1>${title}</h1>
${body}
${filler(title)}
</main></body></html>`;
}

const HERO_PICTURE = `<picture>
<source type="image/avif" srcset="/${HERO}.avif 640w">
<source type="image/webp" srcset="/${HERO}.webp 640w">
<img src="/${HERO}.jpg" alt="Hero" width="640" height="360">
</picture>
<img src="/logo.svg" alt="Logo" width="32" height="32">`;

/** What Next.js writes with `trailingSlash: true`: page/index.html, linked as /page/. */
export const TRAILING_SLASH = { layout: 'directory', trailingSlash: true } as const;
export const HANDLER = presetFiles('nextjs-export', DOMAIN, TRAILING_SLASH)['edge/url-handler.js']!;

export function exampleSite(): Fixture {
  return {
    config: nextjsExport({ domain: DOMAIN, url: TRAILING_SLASH }),
    sources: { 'edge/url-handler.js': HANDLER },
    files: {
      'index.html': page('Home', HERO_PICTURE),
      'about/index.html': page('About', '<p>About us.</p>'),
      'blog/first-post/index.html': page('First post', '<p>Hello.</p>'),
      '404.html': page('Not found', '<p>Nothing here.</p>'),
      'sitemap.xml': `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://${DOMAIN}/</loc></url>
<url><loc>https://${DOMAIN}/about/</loc></url>
<url><loc>https://${DOMAIN}/blog/first-post/</loc></url>
</urlset>`,
      'robots.txt': `User-agent: *\nAllow: /\nSitemap: https://${DOMAIN}/sitemap.xml\n`,
      'favicon.ico': Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]),
      'logo.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="15"/></svg>',
      [CSS]: Array.from({ length: 60 }, (_, i) => `.c${i} { margin: ${i}px; padding: ${i}px; }`).join('\n'),
      [MAIN_JS]: Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i} * 2;`).join('\n'),
      [BUILD_MANIFEST]: 'self.__BUILD_MANIFEST = {};',
      [`${HERO}.avif`]: Buffer.from('fake avif bytes'),
      [`${HERO}.webp`]: Buffer.from('fake webp bytes'),
      [`${HERO}.jpg`]: Buffer.from('fake jpeg bytes'),
    },
  };
}

/** The example site with its default `*` behavior changed. */
export function withDefaultBehavior(fixture: Fixture, change: (b: BehaviorConfig) => Partial<BehaviorConfig>): Fixture {
  const behaviors = (fixture.config.behaviors ?? []).map((b) => (b.path === '*' ? { ...b, ...change(b as BehaviorConfig) } : b));
  return { ...fixture, config: { ...fixture.config, behaviors } };
}
