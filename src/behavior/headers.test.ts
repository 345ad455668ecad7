import { describe, expect, it } from 'vitest';
import { contentTypeFor, objectCacheControl } from './headers.js';

describe('object Cache-Control from the cache intent', () => {
  it.each([
    ['immutable', 'public, max-age=31536000, immutable'],
    ['no-store', 'no-store'],
    [{ edge: 300, browser: 0 }, 'public, max-age=0, s-maxage=300, must-revalidate'],
    [{ edge: 3600, browser: 60 }, 'public, max-age=60, s-maxage=3600'],
    [{ edge: 600, browser: 600 }, 'public, max-age=600'],
    [{ edge: 60, browser: 0, staleWhileRevalidate: 30, staleIfError: 600 }, 'public, max-age=0, s-maxage=60, must-revalidate, stale-while-revalidate=30, stale-if-error=600'],
  ] as const)('%j -> %s', (cache, header) => {
    expect(objectCacheControl(cache)).toBe(header);
  });
});

describe('Content-Type per key', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['about/index.html', 'text/html; charset=utf-8'],
    ['_next/static/css/a.css', 'text/css; charset=utf-8'],
    ['_next/static/chunks/x.js', 'text/javascript; charset=utf-8'],
    ['m.mjs', 'text/javascript; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['x.js.map', 'application/json; charset=utf-8'],
    ['logo.svg', 'image/svg+xml; charset=utf-8'],
    ['sitemap.xml', 'application/xml; charset=utf-8'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['favicon.ico', 'image/vnd.microsoft.icon'],
    ['a.png', 'image/png'],
    ['a.jpg', 'image/jpeg'],
    ['a.JPG', 'image/jpeg'],
    ['a.gif', 'image/gif'],
    ['a.webp', 'image/webp'],
    ['a.avif', 'image/avif'],
    ['f.woff', 'font/woff'],
    ['f.woff2', 'font/woff2'],
    ['f.ttf', 'font/ttf'],
    ['f.otf', 'font/otf'],
    ['m.wasm', 'application/wasm'],
    ['d.pdf', 'application/pdf'],
    ['v.mp4', 'video/mp4'],
    ['v.webm', 'video/webm'],
    ['.well-known/apple-app-site-association', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
    ['.htaccess', 'application/octet-stream'],
    ['dir.v2/README', 'application/octet-stream'],
    ['file.unknownext', 'application/octet-stream'],
  ])('%s -> %s', (key, type) => {
    expect(contentTypeFor(key)).toBe(type);
  });
});
