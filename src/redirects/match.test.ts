import { describe, expect, it } from 'vitest';
import { findLoops } from './loops.js';
import { compileRules, resolveRedirect, type RedirectRequest } from './match.js';
import { parseRedirects } from './parse.js';
import type { RedirectDialect } from './types.js';

function answer(text: string, dialect: RedirectDialect, request: RedirectRequest): string | undefined {
  const { rules, problems } = parseRedirects(text, dialect);
  expect(problems).toEqual([]);
  const hit = resolveRedirect(compileRules(rules, dialect), request, dialect);
  return hit && `${hit.status} ${hit.target} (line ${hit.rule.line})`;
}

// Documented examples and what the docs say they answer (URLs in parse.test.ts).
describe('which rule answers (Netlify)', () => {
  it.each([
    ['splat: /news/* /blog/:splat', '/news/* /blog/:splat', { path: '/news/2004/01/10/my-story' }, '301 /blog/2004/01/10/my-story (line 1)'],
    ['placeholders', '/news/:year/:month/:date/:slug /blog/:year/:month/:date/:slug', { path: '/news/2024/02/01/post' }, '301 /blog/2024/02/01/post (line 1)'],
    ['a placeholder is one segment', '/news/:year/:month/:date/:slug /blog/:year/:month/:date/:slug', { path: '/news/2024/02/01' }, undefined],
    ['query match binds a placeholder', '/store id=:id  /blog/:id  301', { path: '/store', query: { id: 'my-post' } }, '301 /blog/my-post?id=my-post (line 1)'],
    ['query match needs the parameter', '/store id=:id  /blog/:id  301', { path: '/store' }, undefined],
    ['a trailing slash matches the same rule', '/home / 301', { path: '/home/' }, '301 / (line 1)'],
    ['/news/* also answers /news', '/news/* /blog/:splat', { path: '/news' }, '301 /blog/ (line 1)'],
    // netlify-redirector 0.5.0: a whole-segment splat between two segments may be absent too.
    ['a splat between segments takes several', '/docs/*/edit /edit/:splat 302', { path: '/docs/a/b/edit' }, '302 /edit/a/b (line 1)'],
    ['a splat between segments may be absent', '/docs/*/edit /edit/:splat 302', { path: '/docs/edit' }, '302 /edit/ (line 1)'],
    ['a splat inside a segment may not', '/docs/v*/edit /edit/:splat 302', { path: '/docs//edit' }, undefined],
    ['the query string is passed on', '/home /start 302', { path: '/home', query: { utm: 'x' } }, '302 /start?utm=x (line 1)'],
    ['a country condition', '/  /anz     302  Country=au,nz', { path: '/', country: 'nz' }, '302 /anz (line 1)'],
    ['another country passes', '/  /anz     302  Country=au,nz', { path: '/', country: 'us' }, undefined],
    ['a language condition by primary subtag', '/china/*  /china/zh-cn/:splat  302  Language=zh', { path: '/china/a', acceptLanguage: 'zh-CN,zh;q=0.9' }, '302 /china/zh-cn/a (line 1)'],
    ['a file shadows a rule without !', '/app/* /index.html 200', { path: '/app/main.js', fileExists: true }, undefined],
    ['! forces over a file', '/app/* /index.html 200!', { path: '/app/main.js', fileExists: true }, '200 /index.html (line 1)'],
    ['the first match wins', '/a/* /first\n/a/b /second', { path: '/a/b' }, '301 /first (line 1)'],
  ])('%s', (_name, text, request, expected) => {
    expect(answer(text, 'netlify', request)).toBe(expected);
  });
});

describe('which rule answers (Cloudflare)', () => {
  const example = ['/home301 / 301', '/querystrings /?query=string 301', '/trailing /trailing/ 301', '/blog/* https://blog.my.domain/:splat', '/products/:code/:name /products?code=:code&name=:name', '/movies/:title /media/:title'].join('\n');
  it.each([
    ['/home301', '301 / (line 1)'],
    ['/querystrings', '301 /?query=string (line 2)'],
    ['/trailing', '301 /trailing/ (line 3)'],
    ['/trailing/', undefined],
    ['/blog/2022/hello', '302 https://blog.my.domain/2022/hello (line 4)'],
    ['/blog', undefined],
    ['/products/abc/shoe', '302 /products?code=abc&name=shoe (line 5)'],
    ['/movies/alien', '302 /media/alien (line 6)'],
  ])('%s', (path, expected) => {
    expect(answer(example, 'cloudflare', { path, fileExists: true })).toBe(expected);
  });
});

describe('loops found before a deploy', () => {
  it('finds a two-rule cycle once, naming both lines', () => {
    const { rules } = parseRedirects('/a /b 301\n/b /a 301\n/c /d 301', 'netlify');
    expect(findLoops(rules, 'netlify')).toEqual([{ lines: [1, 2], paths: ['/a', '/b', '/a'], endless: false }]);
  });

  it('finds a pattern pair that sends paths back and forth', () => {
    const { rules } = parseRedirects('/old/* /new/:splat 301\n/new/* /old/:splat 302', 'cloudflare');
    expect(findLoops(rules, 'cloudflare')[0]).toMatchObject({ paths: ['/old/x', '/new/x', '/old/x'] });
  });

  it('reports a rule that grows the path forever', () => {
    const { rules } = parseRedirects('/a/* /a/b/:splat 301', 'cloudflare');
    expect(findLoops(rules, 'cloudflare')[0]).toMatchObject({ endless: true, lines: Array(10).fill(1) });
  });

  it("Cloudflare's /trailing -> /trailing/ is no loop; the same rule under Netlify's slash matching is", () => {
    const { rules } = parseRedirects('/trailing /trailing/ 301', 'cloudflare');
    expect(findLoops(rules, 'cloudflare')).toEqual([]);
    expect(findLoops(parseRedirects('/trailing /trailing/ 301', 'netlify').rules, 'netlify')).toHaveLength(1);
  });

  it('a rewrite ends the walk', () => {
    expect(findLoops(parseRedirects('/* /index.html 200\n/index.html / 301', 'netlify').rules, 'netlify')).toEqual([]);
  });

  it('a 404 rule is a rewrite, no redirect: its target matching its own source is no loop', () => {
    const { rules } = parseRedirects('/fr/* /fr/404 404\n/a /fr/x 301', 'netlify');
    expect(findLoops(rules, 'netlify')).toEqual([]);
    expect(answer('/fr/* /fr/404 404', 'netlify', { path: '/fr/nope' })).toBe('404 /fr/404 (line 1)');
  });
});
