import { describe, expect, it } from 'vitest';
import { manifestKeyOf, rewriteHtml } from './rewrite.js';
import type { ImageManifest, ManifestEntry } from './types.js';

function entry(url: string, width: number, height: number, formats: ('avif' | 'webp' | 'jpeg' | 'png')[], fallback: 'jpeg' | 'png' | undefined = 'jpeg'): ManifestEntry {
  const dir = url.slice(0, url.lastIndexOf('/') + 1);
  const stem = url.slice(url.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  const ext = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };
  return {
    width,
    height,
    format: fallback ?? 'jpeg',
    animated: fallback === undefined,
    bytes: 1000,
    variants: formats.flatMap((format) => [320, 640].map((w) => ({ url: `${dir}${stem}.0123456789ab.${w}.${ext[format]}`, width: w, height: Math.round((w * height) / width), format, bytes: w }))),
    ...(fallback ? { fallback } : {}),
  };
}

const manifest: ImageManifest = {
  version: 1,
  images: {
    '/images/hero.jpg': entry('/images/hero.jpg', 1200, 800, ['avif', 'webp', 'jpeg']),
    '/images/with%20space.jpg': entry('/images/with%20space.jpg', 1000, 500, ['avif', 'webp', 'jpeg']),
    '/images/anim.gif': entry('/images/anim.gif', 400, 300, ['webp'], undefined),
  },
};

describe('rewriteHtml', () => {
  it('wraps a managed <img> in <picture> with AVIF and WebP sources and a sized fallback; the only image is the priority image', () => {
    const { html, rewritten, priority, defaultSizes } = rewriteHtml('<p><img src="/images/hero.jpg" alt="A &amp; B"></p>', '/index.html', manifest);
    expect([rewritten, priority, defaultSizes]).toEqual([1, 1, ['/images/hero.jpg']]);
    expect(html).toBe(
      '<p><picture>' +
        '<source type="image/avif" srcset="/images/hero.0123456789ab.320.avif 320w, /images/hero.0123456789ab.640.avif 640w" sizes="100vw">' +
        '<source type="image/webp" srcset="/images/hero.0123456789ab.320.webp 320w, /images/hero.0123456789ab.640.webp 640w" sizes="100vw">' +
        '<img src="/images/hero.jpg" alt="A &amp; B" srcset="/images/hero.0123456789ab.320.jpg 320w, /images/hero.0123456789ab.640.jpg 640w" sizes="100vw" width="1200" height="800" fetchpriority="high" decoding="async">' +
        '</picture></p>',
    );
  });

  it('keeps every author attribute byte for byte, and the author loading/decoding/sizes', () => {
    const src = `<IMG class=hero  data-x='1' SRC="/images/hero.jpg" loading="eager" decoding=sync sizes="50vw" id="h"/>`;
    const { html } = rewriteHtml(src, '/index.html', manifest);
    expect(html).toContain(`<IMG class=hero  data-x='1' SRC="/images/hero.jpg" loading="eager" decoding=sync sizes="50vw" id="h" srcset=`);
    expect(html).toMatch(/ width="1200" height="800" fetchpriority="high"\/><\/picture>$/);
    expect(html).not.toContain('loading="lazy"');
    expect(html).not.toContain('decoding="async"');
    expect(html).toContain('<source type="image/avif" srcset="/images/hero.0123456789ab.320.avif 320w, /images/hero.0123456789ab.640.avif 640w" sizes="50vw">');
  });

  it('derives the missing dimension from the aspect ratio and sizes from an author width', () => {
    const { html } = rewriteHtml('<img src="/images/hero.jpg" width="600">', '/index.html', manifest);
    expect(html).toContain('width="600" srcset=');
    expect(html).toContain('sizes="(max-width: 600px) 100vw, 600px" height="400"');
    expect(html).not.toContain('width="1200"');
  });

  it('leaves every other byte of the document as it was', () => {
    const before = '<!DOCTYPE html>\n<html><head><title>T &amp; t</title></head>\n<body>\n  <!-- <img src="/images/hero.jpg"> -->\n  <script>const s = "<img src=/images/hero.jpg>";</script>\n  <img src="/images/hero.jpg">\n  <p>é ü 😀</p>\n</body></html>\n';
    const { html, rewritten } = rewriteHtml(before, '/index.html', manifest);
    expect(rewritten).toBe(1);
    const start = before.indexOf('  <img') + 2;
    const end = before.indexOf('>', start) + 1;
    const at = html.indexOf('<picture>');
    expect(html.slice(0, at)).toBe(before.slice(0, start));
    expect(html.slice(html.indexOf('</picture>') + '</picture>'.length)).toBe(before.slice(end));
  });

  it('is idempotent: a second run changes nothing', () => {
    const once = rewriteHtml('<div><img src="/images/hero.jpg"><img src="images/anim.gif"></div>', '/index.html', manifest).html;
    const twice = rewriteHtml(once, '/index.html', manifest);
    expect(twice.rewritten).toBe(0);
    expect(twice.html).toBe(once);
  });

  it.each([
    ['inside an author <picture>', '<picture><source srcset="/a.webp" type="image/webp"><img src="/images/hero.jpg"></picture>'],
    ['an external URL', '<img src="https://cdn.example.com/images/hero.jpg">'],
    ['a protocol-relative URL', '<img src="//cdn.example.com/images/hero.jpg">'],
    ['a data URL', '<img src="data:image/png;base64,AAAA">'],
    ['data-edgeship="skip"', '<img data-edgeship="skip" src="/images/hero.jpg">'],
    ['an author srcset', '<img src="/images/hero.jpg" srcset="/images/hero.jpg 1x">'],
    ['an image the manifest does not know', '<img src="/images/other.jpg">'],
    ['no src', '<img alt="x">'],
    ['an <img> inside <template>', '<template><img src="/images/hero.jpg"></template>'],
  ])('leaves alone %s', (_name, html) => {
    expect(rewriteHtml(html, '/index.html', manifest)).toMatchObject({ html, rewritten: 0 });
  });

  it('resolves relative URLs against the page and keeps the author URL style for the variants', () => {
    const { html } = rewriteHtml('<img src="../images/hero.jpg?v=2">', '/blog/post.html', manifest);
    expect(html).toContain('srcset="../images/hero.0123456789ab.320.avif 320w');
    expect(html).toContain('src="../images/hero.jpg?v=2"');
  });

  it('matches percent-encoded and raw spellings of the same path', () => {
    expect(rewriteHtml('<img src="/images/with space.jpg">', '/index.html', manifest).rewritten).toBe(1);
    expect(rewriteHtml('<img src="/images/with%20space.jpg">', '/index.html', manifest).rewritten).toBe(1);
  });

  it('gives an animation only its WebP source; the original stays the fallback', () => {
    const { html } = rewriteHtml('<img src="/images/anim.gif">', '/index.html', manifest);
    expect(html).toBe(
      '<picture><source type="image/webp" srcset="/images/anim.0123456789ab.320.webp 320w, /images/anim.0123456789ab.640.webp 640w" sizes="100vw">' +
        '<img src="/images/anim.gif" width="400" height="300" fetchpriority="high" decoding="async"></picture>',
    );
  });

  it('returns the input untouched when there is no <img>', () => {
    const page = '<p>no images</p>';
    expect(rewriteHtml(page, '/index.html', manifest)).toEqual({ html: page, rewritten: 0, priority: 0, preloads: 0, defaultSizes: [] });
  });
});

const AVIF = '/images/hero.0123456789ab.320.avif 320w, /images/hero.0123456789ab.640.avif 640w';
const WEBP = '/images/hero.0123456789ab.320.webp 320w, /images/hero.0123456789ab.640.webp 640w';
/** The shape of a Next.js 16 export with `<Image priority>`: a preload in the head, an <img> without `loading`, the App Router payload. */
const nextPage = (payload: string) =>
  '<!DOCTYPE html><html><head><link rel="preload" as="image" href="/images/hero.jpg"/></head><body><main>' +
  '<img alt="Team" width="1200" height="800" decoding="async" data-nimg="1" src="/images/hero.jpg"/>' +
  '<img alt="Card" loading="lazy" width="600" height="400" decoding="async" data-nimg="1" src="/images/with%20space.jpg"/>' +
  `</main>${payload}</body></html>`;
const NEXT_PAYLOAD = '<script>(self.__next_f=self.__next_f||[]).push([0])</script>';

describe('rewriteHtml: loading intent and preloads', () => {
  it('a preloaded image is the priority image: never lazy, fetchpriority="high", its preload made responsive with the same files', () => {
    const { html, priority, preloads } = rewriteHtml(nextPage(''), '/index.html', manifest);
    expect([priority, preloads]).toEqual([1, 1]);
    expect(html).toContain(`<link rel="preload" as="image" href="/images/hero.jpg" imagesrcset="${AVIF}" imagesizes="(max-width: 1200px) 100vw, 1200px" type="image/avif" fetchpriority="high"/>`);
    expect(html).toContain(`<source type="image/avif" srcset="${AVIF}" sizes="(max-width: 1200px) 100vw, 1200px">`);
    expect(html).toContain('src="/images/hero.jpg" srcset="/images/hero.0123456789ab.320.jpg 320w, /images/hero.0123456789ab.640.jpg 640w" sizes="(max-width: 1200px) 100vw, 1200px" fetchpriority="high"/></picture>');
  });

  it('an image below the priority image keeps its own loading="lazy" and gets sizes="auto, ..." from its width', () => {
    const { html } = rewriteHtml(nextPage(''), '/index.html', manifest);
    expect(html).toContain('src="/images/with%20space.jpg" srcset="/images/with%20space.0123456789ab.320.jpg 320w, /images/with%20space.0123456789ab.640.jpg 640w" sizes="auto, (max-width: 600px) 100vw, 600px"/></picture>');
  });

  it('on a page React hydrates (Next.js App Router) the <img> stays an <img>, with the WebP variants, and so does its preload', () => {
    const { html, rewritten, preloads } = rewriteHtml(nextPage(NEXT_PAYLOAD), '/index.html', manifest);
    expect([rewritten, preloads]).toEqual([2, 1]);
    expect(html).not.toContain('<picture>');
    expect(html).toContain(`<img alt="Team" width="1200" height="800" decoding="async" data-nimg="1" src="/images/hero.jpg" srcset="${WEBP}" sizes="(max-width: 1200px) 100vw, 1200px" fetchpriority="high"/>`);
    expect(html).toContain(`href="/images/hero.jpg" imagesrcset="${WEBP}" imagesizes="(max-width: 1200px) 100vw, 1200px" type="image/webp" fetchpriority="high"/>`);
  });

  it.each([
    ['a Pages Router root', '<div id="__next"><img src="/images/hero.jpg"></div>'],
    ['a Gatsby root', '<div id="___gatsby"><div><img src="/images/hero.jpg"></div></div>'],
    ['a Nuxt root', '<div id="__nuxt"><img src="/images/hero.jpg"></div>'],
    ['an Astro island', '<astro-island uid="x"><img src="/images/hero.jpg"></astro-island>'],
  ])('keeps an <img> inside %s an <img>', (_name, page) => {
    const { html, rewritten } = rewriteHtml(page, '/index.html', manifest);
    expect(rewritten).toBe(1);
    expect(html).not.toContain('<picture>');
    expect(html).toContain(`srcset="${WEBP}"`);
  });

  it('the first large image is the priority image when nothing is marked; later ones are lazy, earlier small ones are not', () => {
    const page = '<header><img src="/images/logo.svg" alt="logo"></header><img src="/images/hero.jpg"><img src="/images/with%20space.jpg">';
    const { html } = rewriteHtml(page, '/index.html', manifest);
    expect(html).toContain('<img src="/images/logo.svg" alt="logo">');
    expect(html).toContain('<img src="/images/hero.jpg" srcset=');
    expect(html).toMatch(/src="\/images\/hero\.jpg"[^>]* fetchpriority="high" decoding="async">/);
    expect(html).toMatch(/src="\/images\/with%20space\.jpg"[^>]* sizes="auto, 100vw" width="1000" height="500" loading="lazy" decoding="async">/);
    expect(html).toContain('<source type="image/avif" srcset="/images/with%20space.0123456789ab.320.avif 320w, /images/with%20space.0123456789ab.640.avif 640w" sizes="auto, 100vw">');
  });

  it("an unmanaged image can be the priority image (Astro's and Hugo's own WebP): the managed ones after it are lazy, it is left as written", () => {
    const hero = '<img src="/_astro/hero.abc.webp" alt="hero" loading="eager" decoding="async" fetchpriority="auto" width="1200" height="800">';
    const { html, priority } = rewriteHtml(`${hero}<img src="/images/hero.jpg" width="600" height="400">`, '/index.html', manifest);
    expect(priority).toBe(0);
    expect(html.startsWith(`${hero}<picture>`)).toBe(true);
    expect(html).toMatch(/ loading="lazy" decoding="async"><\/picture>$/);
  });

  it('never overrides an author loading or fetchpriority, and never adds lazy where the first viewport is unknown', () => {
    const { html } = rewriteHtml('<img src="/images/hero.jpg" loading="lazy"><img src="/images/with%20space.jpg" fetchpriority="low">', '/index.html', manifest);
    expect(html).not.toContain('fetchpriority="high"');
    expect(html.match(/loading="lazy"/g)).toHaveLength(1);
    expect(html).toContain('fetchpriority="low" srcset=');
  });

  it('removes a preload whose own type names the original format: it would fetch a file the page no longer shows', () => {
    const { html, preloads } = rewriteHtml('<head><link rel="preload" as="image" type="image/jpeg" href="/images/hero.jpg"></head><img src="/images/hero.jpg">', '/index.html', manifest);
    expect(preloads).toBe(1);
    expect(html).not.toContain('<link');
  });

  it('leaves alone a preload of an image it does not rewrite, and an already responsive preload', () => {
    const page = '<link rel="preload" as="image" href="/images/other.jpg"><link rel="preload" as="image" href="/images/hero.jpg" imagesrcset="/images/hero.jpg 1200w"><img src="/images/hero.jpg">';
    const { html, preloads } = rewriteHtml(page, '/index.html', manifest);
    expect(preloads).toBe(0);
    expect(html.startsWith('<link rel="preload" as="image" href="/images/other.jpg"><link rel="preload" as="image" href="/images/hero.jpg" imagesrcset="/images/hero.jpg 1200w"><picture>')).toBe(true);
  });

  it('is idempotent with its preload: a second run changes nothing', () => {
    for (const page of [nextPage(''), nextPage(NEXT_PAYLOAD)]) {
      const once = rewriteHtml(page, '/index.html', manifest).html;
      expect(rewriteHtml(once, '/index.html', manifest)).toMatchObject({ html: once, preloads: 0 });
    }
  });
});

describe('manifestKeyOf', () => {
  it.each([
    ['/images/hero.jpg', '/index.html', '/images/hero.jpg'],
    ['images/hero.jpg', '/index.html', '/images/hero.jpg'],
    ['hero.jpg', '/images/page.html', '/images/hero.jpg'],
    ['./../images/a%20b.jpg#x', '/docs/index.html', '/images/a%20b.jpg'],
    ['https://example.com/images/hero.jpg', '/index.html', undefined],
    ['mailto:x', '/index.html', undefined],
  ])('%s on %s -> %s', (src, doc, key) => {
    expect(manifestKeyOf(src, doc)).toBe(key);
  });
});
