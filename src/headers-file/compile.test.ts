import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BehaviorConfig } from '../config/schema.js';
import { compileHeaders, covers } from './compile.js';
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
    const pub = out.behaviors.find((b) => b.path === 'public/*')!;
    expect(out.headersPolicies[pub.headers!]!.customHeaders).toEqual([]);
    expect(out.headersPolicies[out.behaviors.find((b) => b.path === '*')!.headers!]!.customHeaders).toEqual([{ name: 'X-Robots-Tag', value: 'noindex', override: true }]);
  });

  it('refuses, by line, what no CloudFront pattern expresses', () => {
    const { rules } = parseHeaders('/blog/:slug/*\n  X-A: 1\n/assets/*\n  X-B: 1\n/x\n  X-Frame-Options: ALLOW-FROM https://a\n/a%20b\n  X-C: 1\n', 'netlify');
    const out = compileHeaders(rules, [{ path: '*.js', cache: 'immutable', compress: true }, ...TABLE], {}, '_headers');
    expect(out.problems.map((p) => p.line)).toEqual([1, 7, 3, 5]);
    expect(out.problems[1]!.message).toMatch(/characters CloudFront does not accept \("%"\)/);
    expect(out.problems[0]!.message).toMatch(/placeholders or a "\*" before its end/);
    expect(out.problems[2]!.message).toMatch(/takes part of behavior \*\.js/);
    expect(out.problems[3]!.message).toMatch(/X-Frame-Options: "ALLOW-FROM https:\/\/a" is not a value/);
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
