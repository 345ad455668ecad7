import { describe, expect, it } from 'vitest';
import { charsetOf, keyForPath, mediaType, onSite, pathForKey, resourceType } from './classify.js';

describe('onSite: audit requests nothing but the audited origin', () => {
  const hosts = new Set(['127.0.0.1:8080', 'example.com', 'www.example.com']);
  it.each([
    ['http://127.0.0.1:8080/a?b=1#c', 'http://127.0.0.1:8080/a?b=1'],
    ['https://example.com/about/', 'http://127.0.0.1:8080/about/'],
    ['https://www.example.com/x?y', 'http://127.0.0.1:8080/x?y'],
    ['https://elsewhere.example.net/', undefined],
    ['http://127.0.0.1:9999/', undefined],
    ['ftp://example.com/file', undefined],
    ['not a url', undefined],
  ])('%s -> %s', (url, expected) => {
    expect(onSite(url, 'http://127.0.0.1:8080', hosts)).toBe(expected);
  });
});

describe('keyForPath: the object a viewer path reads (default root object, url-handler)', () => {
  it.each([
    ['/', 'index.html'],
    ['/about/', 'about/index.html'],
    ['/about', 'about/index.html'],
    ['/_next/static/css/a.css', '_next/static/css/a.css'],
    ['/with space.html', 'with space.html'],
  ])('%s -> %s', (path, key) => {
    expect(keyForPath(path)).toBe(key);
  });
  it('pathForKey percent-encodes each segment', () => {
    expect(pathForKey('blog/with space/ü.html')).toBe('/blog/with%20space/%C3%BC.html');
  });
});

describe('content types', () => {
  it.each([
    ['text/html; charset=utf-8', '/', 'text/html', 'utf-8', 'html'],
    ['Text/CSS;Charset="UTF-8"', '/a.css', 'text/css', 'utf-8', 'css'],
    ['application/javascript', '/a.js', 'application/javascript', undefined, 'script'],
    ['image/svg+xml; charset=utf-8', '/a.svg', 'image/svg+xml', 'utf-8', 'image'],
    ['font/woff2', '/a.woff2', 'font/woff2', undefined, 'font'],
    [undefined, '/about/', '', undefined, 'html'],
  ] as const)('%s', (header, path, media, charset, type) => {
    expect(mediaType(header)).toBe(media);
    expect(charsetOf(header)).toBe(charset);
    expect(resourceType(header, path)).toBe(type);
  });
});
