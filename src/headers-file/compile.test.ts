import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BehaviorConfig } from '../config/schema.js';
import { compileHeaders } from './compile.js';
import { covers, globsIntersect, ruleGlob } from './patterns.js';
import { parseHeaders } from './parse.js';

// Cloudflare Pages' example (https://developers.cloudflare.com/pages/configuration/headers/), as its docs print it.
const CLOUDFLARE = fs.readFileSync(new URL('../../test/fixtures/platform-files/cloudflare-example._headers', import.meta.url), 'utf8');
// Netlify's example (https://docs.netlify.com/routing/headers/), with its multi-value header.
const NETLIFY = `# a path:
/templates/index.html
  # headers for that path:
  X-Frame-Options: DENY
  X-XSS-Protection: 1; mode=block
# another path:
/templates/index2.html
  # headers for that path:
  X-Frame-Options: SAMEORIGIN
# multi-value header:
/*
  cache-control: max-age=0
  cache-control: no-cache
  cache-control: no-store
  cache-control: must-revalidate
`;

const TABLE: BehaviorConfig[] = [
  { path: '_next/static/*', cache: 'immutable', compress: true },
  { path: '*', cache: { edge: 300, browser: 0 }, compress: true, functions: { viewerRequest: '/p/edge/url-handler.js' } },
];

describe('_headers: parse (both platforms\' examples)', () => {
  it("reads Cloudflare's example into two rules", () => {
    const { rules, problems } = parseHeaders(CLOUDFLARE, 'cloudflare');
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.line, r.path, r.set.map((h) => `${h.name}: ${h.value}`)])).toEqual([
      [2, '/secure/page', ['X-Frame-Options: DENY', 'X-Content-Type-Options: nosniff', 'Referrer-Policy: no-referrer']],
      [7, '/static/*', ['Access-Control-Allow-Origin: *', 'X-Robots-Tag: nosnippet']],
    ]);
  });

  // Cloudflare: "Using absolute URLs is supported", such as https://myproject.pages.dev/* to keep previews out of search engines.
  it("takes Cloudflare's absolute URLs: the site's own domain as a path, any other host left out with a warning", () => {
    const text = 'https://:project.pages.dev/*\n  X-Robots-Tag: noindex\nhttps://example.com/secure/*\n  X-Frame-Options: DENY\nhttps://www.example.com/*\n  X-A: 1\n';
    const { rules, problems, skipped } = parseHeaders(text, 'cloudflare', '_headers', { domain: 'example.com', aliases: ['www.example.com'] });
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.line, r.path, r.set.map((h) => h.name)])).toEqual([[3, '/secure/*', ['X-Frame-Options']]]);
    expect(skipped.map((p) => [p.line, p.message])).toEqual([
      [1, 'a rule for :project.pages.dev, a Cloudflare Pages host: its requests never reach this distribution'],
      [5, 'a rule for www.example.com, an alias: the url-handler redirects every request for it to example.com first'],
    ]);
  });

  it('reports every bad line, and Cloudflare\'s "! Name" under Netlify', () => {
    const { problems } = parseHeaders('  X-Early: 1\n/ok\n  no colon here\n  ! X-Robots-Tag\nstatic/*\n', 'netlify');
    expect(problems.map((p) => p.line)).toEqual([1, 3, 4, 5]);
  });
});

describe('_headers: onto the behavior table', () => {
  it("Cloudflare's example: each path a behavior before the default with its cache intent, headers in a policy", () => {
    const { rules } = parseHeaders(CLOUDFLARE, 'cloudflare');
    const out = compileHeaders(rules, TABLE, {}, '_headers');
    expect(out.problems).toEqual([]);
    expect(out.behaviors.map((b) => [b.path, b.headers ?? null, b.cache])).toEqual([
      ['_next/static/*', null, 'immutable'],
      ['secure/page', 'headers-file-1', { edge: 300, browser: 0 }],
      ['static/*', 'headers-file-2', { edge: 300, browser: 0 }],
      ['*', null, { edge: 300, browser: 0 }],
    ]);
    // The function of the behavior it came from comes along.
    expect(out.behaviors[1]!.functions).toEqual({ viewerRequest: '/p/edge/url-handler.js' });
    expect(out.headersPolicies['headers-file-1']).toEqual({
      securityHeaders: { frameOptions: { option: 'DENY', override: true }, contentTypeOptions: { override: true }, referrerPolicy: { policy: 'no-referrer', override: true } },
      customHeaders: [],
      removeHeaders: [],
    });
    expect(out.headersPolicies['headers-file-2']!.customHeaders).toEqual([
      { name: 'Access-Control-Allow-Origin', value: '*', override: true },
      { name: 'X-Robots-Tag', value: 'nosnippet', override: true },
    ]);
  });

  it("Netlify's example: /* reaches every behavior, its repeated header joined; the exact paths add theirs", () => {
    const { rules } = parseHeaders(NETLIFY, 'netlify');
    const out = compileHeaders(rules, TABLE, {}, '_headers');
    expect(out.problems).toEqual([]);
    const policyOf = (path: string) => out.headersPolicies[out.behaviors.find((b) => b.path === path)!.headers!]!;
    for (const path of ['_next/static/*', '*', 'templates/index.html', 'templates/index2.html']) {
      expect(policyOf(path).customHeaders).toEqual([{ name: 'cache-control', value: 'max-age=0, no-cache, no-store, must-revalidate', override: true }]);
    }
    expect(policyOf('templates/index.html').securityHeaders).toEqual({ frameOptions: { option: 'DENY', override: true }, xssProtection: { protection: true, modeBlock: true, override: true } });
    expect(policyOf('templates/index2.html').securityHeaders).toEqual({ frameOptions: { option: 'SAMEORIGIN', override: true } });
  });

  it("Cloudflare's detach: a header of the broader rule removed on the narrower path", () => {
    const { rules } = parseHeaders('/*\n  X-Robots-Tag: noindex\n/public/*\n  ! X-Robots-Tag\n', 'cloudflare');
    const out = compileHeaders(rules, TABLE, {}, '_headers');
    // public/* is its own behavior with no policy, so no X-Robots-Tag.
    expect(out.behaviors.find((b) => b.path === 'public/*')!.headers).toBeUndefined();
    expect(out.headersPolicies[out.behaviors.find((b) => b.path === '*')!.headers!]!.customHeaders).toEqual([{ name: 'X-Robots-Tag', value: 'noindex', override: true }]);
  });

  it('gives what no CloudFront pattern expresses to the viewer-response function, on the behaviors it reaches', () => {
    const text = '/*\n  X-A: 0\n/blog/:slug/*\n  X-A: 1\n/assets/*\n  X-B: 1\n/x\n  X-Frame-Options: ALLOW-FROM https://a\n/a%20b\n  X-C: 1\n/about\n  X-D: 1\n';
    const { rules } = parseHeaders(text, 'netlify');
    const out = compileHeaders(rules, [{ path: '*.js', cache: 'immutable', compress: true }, ...TABLE], {}, '_headers');
    expect(out.problems).toEqual([]);
    // Placeholders, a "*" across *.js, a value no security header takes, a "%": the function's; /about stays a behavior.
    expect(out.functionHeaders.sort()).toEqual(['x-a', 'x-b', 'x-c', 'x-frame-options']);
    expect(out.behaviors.map((b) => b.path)).toEqual(['*.js', '_next/static/*', 'about', '*']);
    // Those paths reach *.js and *; _next/static/* and about are reached by none of them.
    expect(out.functionAt.map((i) => out.behaviors[i]!.path)).toEqual(['*.js', '*']);
    // The policies of those behaviors leave the function's headers out (* has none left); about keeps /*'s X-A.
    const policyOf = (path: string) => out.headersPolicies[out.behaviors.find((b) => b.path === path)!.headers!]!;
    expect(policyOf('about').customHeaders.map((h) => h.name)).toEqual(['X-A', 'X-D']);
    expect(out.behaviors.find((b) => b.path === '*')!.headers).toBeUndefined();
  });

  it('refuses, by line, what the function cannot do either', () => {
    const { rules } = parseHeaders('/blog/:slug\n  Via: x\n/a/:b\n  X-A: 1\n', 'netlify');
    const table: BehaviorConfig[] = [{ path: '*', cache: 'immutable', compress: true, functions: { viewerResponse: '/p/own.js' } }];
    const out = compileHeaders(rules, table, {}, '_headers');
    expect(out.problems.map((p) => p.line)).toEqual([1, 1]);
    expect(out.problems[0]!.message).toMatch(/Via cannot be set by a viewer-response function/);
    expect(out.problems[1]!.message).toMatch(/already runs \/p\/own\.js/);
  });

  it.each([
    ['blog/*', '*.js', true],
    ['blog/*/feed.xml', 'blog/x/*', true],
    ['blog/*/feed.xml', '*.js', false],
    ['_next/static/*', 'static/*', false],
    ['a?c', 'abc', true],
    ['a?c', 'ab', false],
    ['*', '', true],
  ])('globsIntersect(%s, %s) is %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });

  it('widens placeholders to "*" when asking what a path reaches', () => {
    expect(ruleGlob('/blog/:slug/feed.xml')).toBe('blog/*/feed.xml');
  });

  it.each([
    ['*', '_next/static/*', true],
    ['static/*', 'static/a/b.js', true],
    ['static/*', 'statics/a', false],
    ['a/b', 'a/b', true],
    ['_next/*', '*', false],
  ])('covers(%s, %s) is %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});
