import { describe, expect, it } from 'vitest';
import { parseHeaders } from '../headers-file/parse.js';
import { expectedHeaders, servedCandidates } from './header-probes.js';
import type { FetchedResource } from './types.js';

const BASE = 'http://127.0.0.1:8080';
const fetched = (path: string, type: FetchedResource['type'], status = 200): FetchedResource => ({ url: `${BASE}${path}`, status, headers: {}, wireSize: 0, size: 0, type, via: [{ kind: 'link' }] });

describe('headers-rule: where each rule is checked', () => {
  it('offers crawled pages, then stored pages, then everything else served, once each', () => {
    const resources = [fetched('/app.js', 'script'), fetched('/about/', 'html'), fetched('/gone/', 'html', 404), fetched('/', 'html'), fetched('/secure/page', 'other', 301)];
    // secure/page was requested and redirected: not offered. The others were not reached (--max-pages).
    const keys = ['app.js', 'about/index.html', 'with space.html', 'docs/intro.html', 'static/logo.svg', 'secure/page'];
    expect(servedCandidates(resources, keys)).toEqual(['/about/', '/', '/about/index.html', '/with%20space.html', '/docs/intro.html', '/app.js', '/static/logo.svg']);
  });

  it('without a store, the crawl alone', () => {
    expect(servedCandidates([fetched('/', 'html')])).toEqual(['/']);
  });
});

describe('headers-rule: what a path should carry', () => {
  const { rules } = parseHeaders(['/*', '  X-All: 1', '/a', '  X-All: 2', '  X-A: a', '/public/*', '  ! X-All', '  X-Public: p'].join('\n'), 'cloudflare');

  it.each([
    ['/', [['X-All', '1', [1]]]],
    ['/a', [['X-All', '1, 2', [1, 3]], ['X-A', 'a', [3]]]],
    // Removed by "! X-All": not asked for.
    ['/public/x', [['X-Public', 'p', [6]]]],
  ])('%s', (path, expected) => {
    expect(expectedHeaders(rules, path).map((h) => [h.name, h.value, h.lines])).toEqual(expected);
  });
});
