import { describe, expect, it } from 'vitest';
import { parseRedirects } from '../redirects/parse.js';
import type { RedirectDialect } from '../redirects/types.js';
import { shadowedRules } from './redirect-probes.js';

const BASE = 'http://127.0.0.1:8080';
const KEYS = ['index.html', 'old/index.html', 'legacy.html', 'blog/x.html', 'feed.xml'];
const shadowed = (text: string, dialect: RedirectDialect = 'netlify') => shadowedRules(BASE, { dialect, rules: parseRedirects(text, dialect).rules }, KEYS).map((s) => [s.line, s.path, s.file, s.pattern]);

describe('redirect-shadowed: Netlify serves a file over a rule without "!"', () => {
  it.each([
    ['an exact source at a folder page', '/old /new 301', [[1, '/old', 'old/index.html', false]]],
    ['the same with its trailing slash', '/old/ /new 301', [[1, '/old/', 'old/index.html', false]]],
    ['a pretty URL of a .html file', '/legacy /new 301', [[1, '/legacy', 'legacy.html', false]]],
    ['an object key itself', '/feed.xml /rss.xml 301', [[1, '/feed.xml', 'feed.xml', false]]],
    ['a pattern at its sample path', '/blog/* /news/:splat 301', [[1, '/blog/x', 'blog/x.html', true]]],
    ['a forced rule', '/old /new 301!', []],
    ['a source with no file', '/elsewhere /new 301', []],
  ])('%s', (_name, text, expected) => {
    expect(shadowed(text)).toEqual(expected);
  });

  it('Cloudflare follows every rule: nothing is shadowed', () => {
    expect(shadowed('/old /new 301', 'cloudflare')).toEqual([]);
  });
});
