import { describe, expect, it } from 'vitest';
import { parseRedirects } from './parse.js';
import { pagePaths, sampleRequest } from './sample.js';
import type { RedirectDialect } from './types.js';

const KEYS = ['index.html', 'posts/hello/index.html', 'about.html', 'old/index.html', 'feed.xml'];
const served = pagePaths(KEYS);
const exists = (p: string) => served.includes(p) || served.includes(`${p}/`);

describe('a request that exercises a rule on the deployed site', () => {
  it('lists pages in their URL forms before raw keys', () => {
    expect(served).toEqual(['/', '/posts/hello/', '/posts/hello', '/about', '/old/', '/old', '/index.html', '/posts/hello/index.html', '/about.html', '/old/index.html', '/feed.xml']);
  });

  it.each<[string, RedirectDialect, string, Record<string, string>]>([
    // Placeholders taken from a page the target reaches.
    ['/:year/:month/:slug/ /posts/:slug/ 301', 'netlify', '/x/x/hello/', {}],
    // A splat from the page: the probe asks the URL a reader of /posts/hello/ would have had.
    ['/blog/* /posts/:splat 301', 'cloudflare', '/blog/hello/', {}],
    // The first page (/) is shadowed under Netlify (a file is served at /old/ ... /): the probe skips to one that is not.
    ['/old/* /:splat 301', 'netlify', '/old/posts/hello/', {}],
    // A query placeholder filled too.
    ['/store id=:id /posts/:id/ 301', 'netlify', '/store', { id: 'hello' }],
    // A target on another site, or no page fits: x, as before.
    ['/go/* https://example.org/:splat 302', 'netlify', '/go/x', {}],
    ['/w/:slug /wiki/:slug 301', 'netlify', '/w/x', {}],
    // An exact rule is asked at its own path.
    ['/team /about 301', 'netlify', '/team', {}],
  ])('%s (%s) asks %s', (line, dialect, path, query) => {
    const { rules } = parseRedirects(line, dialect);
    expect(sampleRequest(rules[0]!, dialect, served, exists)).toEqual({ path, query });
  });
});
