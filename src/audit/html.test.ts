import { describe, expect, it } from 'vitest';
import { parsePage, parseSrcset, resolveUrl } from './html.js';
import { parseSitemap } from './sitemap.js';

const PAGE = 'http://127.0.0.1:8080/blog/post/';

describe('parsePage: what a page makes the browser load', () => {
  it('finds links, scripts, stylesheets, icons, images and srcset candidates, resolved against the page', () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/_next/static/css/ab12cd34ef56.css">
      <link rel="icon" href="../../favicon.ico">
      <link rel="canonical" href="https://example.com/blog/post/">
      <link rel="preload" as="script" href="/a.js">
      <script src="/_next/static/chunks/main-3f9a2c1b4d5e6f70.js"></script>
      <script>document.write('<img src="/not-a-ref.png">')</script>
      </head><body>
      <a href="/about">About</a> <a href="mailto:x@example.com">mail</a> <a href="#top">top</a>
      <a href="with space.html#frag">space</a>
      <img src="hero.jpg" srcset="hero-640.jpg 640w, hero-1280.jpg 1280w">
      <template><img src="/inert.png"></template>
      <!-- <img src="/commented.png"> -->
      </body></html>`;
    const page = parsePage(html, PAGE);
    expect(page.refs).toEqual([
      { url: 'http://127.0.0.1:8080/_next/static/css/ab12cd34ef56.css', kind: 'style' },
      { url: 'http://127.0.0.1:8080/favicon.ico', kind: 'image' },
      { url: 'http://127.0.0.1:8080/a.js', kind: 'script' },
      { url: 'http://127.0.0.1:8080/_next/static/chunks/main-3f9a2c1b4d5e6f70.js', kind: 'script' },
      { url: 'http://127.0.0.1:8080/about', kind: 'link' },
      { url: 'http://127.0.0.1:8080/blog/post/with%20space.html', kind: 'link' },
      { url: 'http://127.0.0.1:8080/blog/post/hero.jpg', kind: 'image' },
      { url: 'http://127.0.0.1:8080/blog/post/hero-640.jpg', kind: 'srcset' },
      { url: 'http://127.0.0.1:8080/blog/post/hero-1280.jpg', kind: 'srcset' },
    ]);
    expect(page.images).toEqual([
      {
        src: 'http://127.0.0.1:8080/blog/post/hero.jpg',
        candidates: ['http://127.0.0.1:8080/blog/post/hero.jpg', 'http://127.0.0.1:8080/blog/post/hero-640.jpg', 'http://127.0.0.1:8080/blog/post/hero-1280.jpg'],
        sourceTypes: [],
      },
    ]);
  });

  it('records what <picture> offers around an <img>', () => {
    const html = `<picture>
      <source type="image/avif" srcset="/images/hero.3f9a2c1b.640.avif 640w, /images/hero.3f9a2c1b.1280.avif 1280w">
      <source type="image/webp" srcset="/images/hero.3f9a2c1b.640.webp 640w">
      <img src="/images/hero.3f9a2c1b.640.jpg" alt="">
    </picture>`;
    const page = parsePage(html, PAGE);
    expect(page.images).toEqual([
      {
        src: 'http://127.0.0.1:8080/images/hero.3f9a2c1b.640.jpg',
        candidates: [
          'http://127.0.0.1:8080/images/hero.3f9a2c1b.640.jpg',
          'http://127.0.0.1:8080/images/hero.3f9a2c1b.640.avif',
          'http://127.0.0.1:8080/images/hero.3f9a2c1b.1280.avif',
          'http://127.0.0.1:8080/images/hero.3f9a2c1b.640.webp',
        ],
        sourceTypes: ['image/avif', 'image/webp'],
      },
    ]);
    expect(page.refs.filter((r) => r.kind === 'srcset')).toHaveLength(3);
  });

  it('honours <base href>', () => {
    const page = parsePage('<head><base href="/docs/"></head><a href="intro">x</a>', PAGE);
    expect(page.refs).toEqual([{ url: 'http://127.0.0.1:8080/docs/intro', kind: 'link' }]);
  });
});

describe('parseSrcset (HTML srcset microsyntax)', () => {
  it.each([
    ['a.jpg 1x, b.jpg 2x', ['a.jpg', 'b.jpg']],
    ['a.jpg', ['a.jpg']],
    ['a.jpg,b.jpg', ['a.jpg,b.jpg']], // a URL runs to white space; only a trailing comma separates
    ['  a.jpg 640w,\n  b.jpg 1280w  ', ['a.jpg', 'b.jpg']],
    ['a,b.jpg 1x', ['a,b.jpg']],
    ['data:image/png;base64,AAAA 1x, b.jpg 2x', ['data:image/png;base64,AAAA', 'b.jpg']],
    ['', []],
  ])('%j -> %j', (value, urls) => {
    expect(parseSrcset(value)).toEqual(urls);
  });
});

describe('resolveUrl', () => {
  it.each([
    ['/x', 'http://h/x'],
    ['x#frag', 'http://h/a/x'],
    ['mailto:a@b', undefined],
    ['javascript:void(0)', undefined],
    ['data:image/png;base64,AA', undefined],
    ['#top', undefined],
    ['', undefined],
    ['https://other.example/y', 'https://other.example/y'],
  ])('%s -> %s', (raw, expected) => {
    expect(resolveUrl(raw, 'http://h/a/b')).toBe(expected);
  });
});

describe('parseSitemap', () => {
  it('reads <url><loc> pages and <sitemap><loc> indexes', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>https://example.com/</loc><lastmod>2024-01-01</lastmod></url>
        <url><loc> https://example.com/about?a=1&amp;b=2 </loc></url>
      </urlset>`;
    expect(parseSitemap(xml)).toEqual({ pages: ['https://example.com/', 'https://example.com/about?a=1&b=2'], sitemaps: [] });
    const index = `<sitemapindex><sitemap><loc>https://example.com/sitemap-0.xml</loc></sitemap></sitemapindex>`;
    expect(parseSitemap(index)).toEqual({ pages: [], sitemaps: ['https://example.com/sitemap-0.xml'] });
  });
});
