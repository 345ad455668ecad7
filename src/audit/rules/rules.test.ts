import { describe, expect, it } from 'vitest';
import { compileTable } from '../../behavior/table.js';
import { resourceType } from '../classify.js';
import type { AuditInput, FetchedResource, HeaderRuleProbe, RedirectProbe, Rule } from '../types.js';
import { RULES } from './index.js';

const BASE = 'http://127.0.0.1:8080';
const HTML_OK = 'public, max-age=0, s-maxage=300, must-revalidate';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SECURE = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy': "default-src 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** A 200 response as the local edge sends it for `path`, with `headers` changed. */
function res(path: string, headers: Record<string, string | undefined> = {}, more: Partial<FetchedResource> = {}): FetchedResource {
  const all: Record<string, string> = {};
  const defaults = { 'content-type': 'text/html; charset=utf-8', 'cache-control': HTML_OK, etag: '"abc"', ...headers };
  for (const [k, v] of Object.entries(defaults)) if (v !== undefined) all[k] = v;
  return {
    url: `${BASE}${path}`,
    status: 200,
    headers: all,
    wireSize: 100,
    size: 100,
    type: resourceType(all['content-type'], path),
    via: [{ kind: 'start' }],
    ...more,
  };
}
const html = (path: string, headers: Record<string, string | undefined> = {}, more: Partial<FetchedResource> = {}) => res(path, { ...SECURE, ...headers }, more);
const asset = (path: string, type: string, headers: Record<string, string | undefined> = {}, more: Partial<FetchedResource> = {}) =>
  res(path, { 'content-type': type, 'cache-control': IMMUTABLE, ...headers }, more);

const rule = (id: string): Rule => RULES.find((r) => r.id === id)!;
const input = (resources: FetchedResource[], more: Partial<AuditInput> = {}): AuditInput => ({ baseUrl: BASE, resources, probes: [], ...more });

/** [rule id, case, input, URLs reported] */
type Case = [string, string, AuditInput, string[]];

const site = {
  domain: 'example.com',
  aliases: ['www.example.com'],
  defaultRootObject: 'index.html',
  table: compileTable({
    behaviors: [
      { path: '_next/static/*', cache: 'immutable', compress: true },
      { path: '*', cache: { edge: 300, browser: 0 }, compress: true },
    ],
    headersPolicies: {},
  }),
};

const probe = (hops: RedirectProbe['hops']): RedirectProbe => ({ host: 'www.example.com', expectedHost: 'example.com', hops });

const hop = (path: string, status: number, location?: string) => ({ url: `${BASE}${path}`, host: '127.0.0.1:8080', status, ...(location ? { location: `${BASE}${location}` } : {}) });
const ruleProbe = (hops: ReturnType<typeof hop>[]) => ({ line: 1, rule: '/old /new 301', url: `${BASE}/old`, expected: { line: 1, status: 301, target: '/new' }, hops });

const shadowed = (path: string, file: string, pattern = false) => ({ line: 2, rule: `${pattern ? '/old/*' : path} /new 301`, path, pattern, file, url: `${BASE}${path}` });
/** A `_headers` rule on line 1 checked at `path`, which answered with `headers`. */
const headerProbe = (path: string, expected: [string, string][], headers: Record<string, string>, more: Partial<HeaderRuleProbe> = {}): HeaderRuleProbe => ({
  file: '_headers',
  line: 1,
  path: '/*',
  url: `${BASE}${path}`,
  expected: expected.map(([name, value]) => ({ name, value, lines: [1] })),
  status: 200,
  headers,
  ...more,
});

const CASES: Case[] = [
  ['html-cache', 'revalidated HTML passes', input([html('/')]), []],
  ['html-cache', 'no-cache HTML passes even with a long max-age', input([html('/', { 'cache-control': 'no-cache, max-age=86400' })]), []],
  ['html-cache', 'immutable HTML fails', input([html('/about/', { 'cache-control': IMMUTABLE })]), [`${BASE}/about/`]],
  ['html-cache', 'a day in browsers fails', input([html('/', { 'cache-control': 'public, max-age=86400' })]), [`${BASE}/`]],
  ['html-cache', 'one hour is the limit', input([html('/', { 'cache-control': 'public, max-age=3600' })]), []],
  ['html-cache', 'no Cache-Control fails (heuristic caching)', input([html('/', { 'cache-control': undefined })]), [`${BASE}/`]],
  ['html-cache', 'a 404 page is not judged', input([html('/x', { 'cache-control': IMMUTABLE }, { status: 404 })]), []],

  ['hashed-immutable', 'hashed and immutable for a year passes', input([asset('/_next/static/chunks/main-3f9a2c1b4d5e6f70.js', 'text/javascript; charset=utf-8')]), []],
  ['hashed-immutable', 'hashed but revalidated fails', input([asset('/_next/static/css/ab12cd34ef56.css', 'text/css; charset=utf-8', { 'cache-control': HTML_OK })]), [`${BASE}/_next/static/css/ab12cd34ef56.css`]],
  ['hashed-immutable', 'immutable for a day fails', input([asset('/images/hero.3f9a2c1b.640.avif', 'image/avif', { 'cache-control': 'public, max-age=86400, immutable' })]), [`${BASE}/images/hero.3f9a2c1b.640.avif`]],
  ['hashed-immutable', 'un-hashed files are not asked to be immutable', input([asset('/logo.png', 'image/png', { 'cache-control': HTML_OK })]), []],

  ['unhashed-immutable', 'un-hashed and revalidated passes', input([asset('/images/logo.png', 'image/png', { 'cache-control': HTML_OK })]), []],
  ['unhashed-immutable', 'un-hashed and immutable fails', input([asset('/images/logo.png', 'image/png')]), [`${BASE}/images/logo.png`]],
  ['unhashed-immutable', 'hashed and immutable passes', input([asset('/images/logo.3f9a2c1b.png', 'image/png')]), []],
  ['unhashed-immutable', 'immutable HTML is left to html-cache', input([html('/', { 'cache-control': IMMUTABLE })]), []],

  ['security-headers', 'all five pass', input([html('/')]), []],
  ['security-headers', 'frame-ancestors in CSP counts as frame protection', input([html('/', { 'x-frame-options': undefined, 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" })]), []],
  ['security-headers', 'missing CSP fails', input([html('/', { 'content-security-policy': undefined })]), [`${BASE}/`]],
  ['security-headers', 'nosniff with another value fails', input([html('/', { 'x-content-type-options': 'sniff' })]), [`${BASE}/`]],
  ['security-headers', 'non-HTML needs none', input([asset('/a.3f9a2c1b.css', 'text/css; charset=utf-8')]), []],

  ['compression', 'compressed large text passes', input([html('/', { 'content-encoding': 'br' }, { size: 5000 })]), []],
  ['compression', 'small text passes uncompressed', input([html('/', {}, { size: 1023 })]), []],
  ['compression', 'large uncompressed text fails', input([asset('/app.3f9a2c1b.js', 'text/javascript; charset=utf-8', {}, { size: 1024 })]), [`${BASE}/app.3f9a2c1b.js`]],
  ['compression', 'large uncompressed image passes', input([asset('/a.3f9a2c1b.png', 'image/png', {}, { size: 90_000 })]), []],
  ['compression', 'SVG counts as text', input([asset('/a.3f9a2c1b.svg', 'image/svg+xml; charset=utf-8', {}, { size: 4000 })]), [`${BASE}/a.3f9a2c1b.svg`]],

  ['content-type', 'matching types with charset pass', input([html('/'), html('/about'), asset('/a.3f9a2c1b.css', 'text/css; charset=utf-8'), asset('/x.3f9a2c1b.png', 'image/png')]), []],
  ['content-type', 'application/javascript is as good as text/javascript', input([asset('/m.3f9a2c1b.js', 'application/javascript; charset=utf-8')]), []],
  ['content-type', 'CSS served as text/plain fails', input([asset('/a.3f9a2c1b.css', 'text/plain; charset=utf-8')]), [`${BASE}/a.3f9a2c1b.css`]],
  ['content-type', 'text without charset fails', input([html('/', { 'content-type': 'text/html' })]), [`${BASE}/`]],
  ['content-type', 'missing Content-Type fails', input([asset('/a.3f9a2c1b.png', undefined as unknown as string, { 'content-type': undefined })]), [`${BASE}/a.3f9a2c1b.png`]],
  ['content-type', 'an unknown extension is not judged', input([asset('/data.bin9', 'application/x-custom')]), []],

  ['broken-link', 'all 200 passes', input([html('/')]), []],
  [
    'broken-link',
    'a 404 image and a failed request fail',
    input([
      html('/'),
      asset('/missing.png', 'text/html; charset=utf-8', {}, { status: 404, via: [{ kind: 'image', from: `${BASE}/` }] }),
      res('/down.js', {}, { status: 0, error: 'ECONNRESET', via: [{ kind: 'script', from: `${BASE}/` }] }),
    ]),
    [`${BASE}/missing.png`, `${BASE}/down.js`],
  ],

  ['redirect-www', 'one 301 to the apex passes', input([], { site, probes: [probe([{ url: `${BASE}/`, host: 'www.example.com', status: 301, location: 'https://example.com/' }, { url: `${BASE}/`, host: 'example.com', status: 200 }])] }), []],
  ['redirect-www', 'www answering 200 fails', input([], { site, probes: [probe([{ url: `${BASE}/`, host: 'www.example.com', status: 200 }])] }), ['https://www.example.com/']],
  ['redirect-www', 'a 302 fails', input([], { site, probes: [probe([{ url: `${BASE}/`, host: 'www.example.com', status: 302, location: 'https://example.com/' }])] }), ['https://www.example.com/']],

  ['redirect-rule', 'a rule answered as written, to a served page, passes', input([], { ruleProbes: [ruleProbe([hop('/old', 301, '/new'), hop('/new', 200)])] }), []],
  ['redirect-rule', 'another status fails', input([], { ruleProbes: [ruleProbe([hop('/old', 302, '/new'), hop('/new', 200)])] }), [`${BASE}/old`]],
  ['redirect-rule', 'another Location fails', input([], { ruleProbes: [ruleProbe([hop('/old', 301, '/elsewhere'), hop('/elsewhere', 200)])] }), [`${BASE}/old`]],
  ['redirect-rule', 'a target that is not served fails', input([], { ruleProbes: [ruleProbe([hop('/old', 301, '/new'), hop('/new', 404)])] }), [`${BASE}/old`]],
  ['redirect-rule', 'a chain over one hop fails', input([], { ruleProbes: [ruleProbe([hop('/old', 301, '/new'), hop('/new', 308, '/new/'), hop('/new/', 200)])] }), [`${BASE}/old`]],
  ['redirect-rule', 'a loop fails', input([], { ruleProbes: [ruleProbe([hop('/old', 301, '/new'), hop('/new', 301, '/old'), hop('/old', 301, '/new')])] }), [`${BASE}/old`]],
  ['redirect-rule', 'a 200 rewrite passes when it answers 200', input([], { ruleProbes: [{ ...ruleProbe([hop('/old', 200)]), expected: { line: 1, status: 200, target: '/index.html' } }] }), []],
  ['redirect-rule', 'a 404 rule (Netlify) passes when it answers 404 at the URL asked', input([], { ruleProbes: [{ ...ruleProbe([hop('/fr/x', 404)]), expected: { line: 1, status: 404, target: '/fr/404/' } }] }), []],
  ['redirect-rule', 'a 404 rule answered 200 fails', input([], { ruleProbes: [{ ...ruleProbe([hop('/fr/x', 200)]), url: `${BASE}/fr/x`, expected: { line: 1, status: 404, target: '/fr/404/' } }] }), [`${BASE}/fr/x`]],
  ['redirect-rule', 'a 404 rule answered with a redirect fails', input([], { ruleProbes: [{ ...ruleProbe([hop('/fr/x', 301, '/fr/404/'), hop('/fr/404/', 200)]), url: `${BASE}/fr/x`, expected: { line: 1, status: 404, target: '/fr/404/' } }] }), [`${BASE}/fr/x`]],
  ['redirect-shadowed', 'no shadowed rule passes', input([], { shadowedRules: [] }), []],
  ['redirect-shadowed', 'an exact rule with a file at its source fails', input([], { shadowedRules: [shadowed('/old', 'old/index.html')] }), [`${BASE}/old`]],
  ['redirect-shadowed', 'a pattern rule shadowed at its sample path fails', input([], { shadowedRules: [shadowed('/old/x', 'old/x.html', true)] }), [`${BASE}/old/x`]],

  ['headers-rule', 'every header sent as written passes', input([], { headerProbes: [headerProbe('/', [['X-Robots-Tag', 'noindex'], ['Cache-Control', 'max-age=0, no-cache']], { 'x-robots-tag': 'noindex', 'cache-control': 'max-age=0, no-cache' })] }), []],
  ['headers-rule', 'a missing header fails', input([], { headerProbes: [headerProbe('/', [['X-Robots-Tag', 'noindex']], {})] }), [`${BASE}/`]],
  ['headers-rule', 'another value fails', input([], { headerProbes: [headerProbe('/', [['X-Robots-Tag', 'noindex']], { 'x-robots-tag': 'nosnippet' })] }), [`${BASE}/`]],
  ['headers-rule', "CloudFront's upper-cased X-Frame-Options passes", input([], { headerProbes: [headerProbe('/', [['X-Frame-Options', 'sameorigin']], { 'x-frame-options': 'SAMEORIGIN' })] }), []],
  ['headers-rule', 'a path that does not answer 2xx fails', input([], { headerProbes: [headerProbe('/a', [['X-A', '1']], {}, { status: 404 })] }), [`${BASE}/a`]],
  [
    'headers-rule',
    'two rules checked at one path report a header once',
    input([], { headerProbes: [headerProbe('/', [['X-A', '1']], {}), headerProbe('/', [['X-A', '1']], {}, { line: 4, path: '/' })] }),
    [`${BASE}/`],
  ],
  ['headers-unmatched', 'a rule checked at a path passes', input([], { headerProbes: [headerProbe('/', [], {})] }), []],
  ['headers-unmatched', 'a rule that matches nothing deployed fails', input([], { headerProbes: [headerProbe('/', [], {}, { url: undefined, path: '/nothing/*' })] }), [`${BASE}/nothing/`]],
  ['redirect-chain', 'one hop passes', input([res('/old', {}, { status: 301, location: `${BASE}/new` }), html('/new')]), []],
  ['redirect-chain', 'two hops fail, reported at the first', input([res('/old', {}, { status: 301, location: `${BASE}/mid` }), res('/mid', {}, { status: 301, location: `${BASE}/new` }), html('/new')]), [`${BASE}/old`]],
  [
    'redirect-chain',
    'a www probe through two redirects fails',
    input([], {
      site,
      probes: [probe([
        { url: `${BASE}/`, host: 'www.example.com', status: 301, location: 'http://example.com/' },
        { url: `${BASE}/`, host: 'example.com', status: 301, location: 'https://example.com/' },
        { url: `${BASE}/`, host: 'example.com', status: 200 },
      ])],
    }),
    ['https://www.example.com/'],
  ],

  ['redirect-offsite', 'a redirect to the apex passes', input([res('/old', {}, { status: 301, location: 'https://example.com/new' })], { site }), []],
  ['redirect-offsite', 'a redirect to another host fails', input([res('/go', {}, { status: 302, location: 'https://evil.example.net/' })], { site }), [`${BASE}/go`]],

  ['validators', 'an ETag passes', input([html('/')]), []],
  ['validators', 'Last-Modified alone passes', input([html('/', { etag: undefined, 'last-modified': 'Sat, 28 Nov 2026 09:00:00 GMT' })]), []],
  ['validators', 'neither fails', input([html('/', { etag: undefined })]), [`${BASE}/`]],

  [
    'modern-images',
    '<picture> with AVIF passes',
    input([html('/', {}, { page: { refs: [], images: [{ src: `${BASE}/h.3f9a2c1b.jpg`, candidates: [`${BASE}/h.3f9a2c1b.jpg`], sourceTypes: ['image/avif'] }] } })]),
    [],
  ],
  [
    'modern-images',
    'a WebP srcset candidate passes',
    input([html('/', {}, { page: { refs: [], images: [{ src: `${BASE}/h.jpg`, candidates: [`${BASE}/h.jpg`, `${BASE}/h.640.webp`], sourceTypes: [] }] } })]),
    [],
  ],
  ['modern-images', 'an SVG is not raster', input([html('/', {}, { page: { refs: [], images: [{ src: `${BASE}/logo.svg`, candidates: [`${BASE}/logo.svg`], sourceTypes: [] }] } })]), []],
  [
    'modern-images',
    'a bare JPEG fails once however many pages use it',
    input([
      html('/', {}, { page: { refs: [], images: [{ src: `${BASE}/h.jpg`, candidates: [`${BASE}/h.jpg`], sourceTypes: [] }] } }),
      html('/b', {}, { page: { refs: [], images: [{ src: `${BASE}/h.jpg`, candidates: [`${BASE}/h.jpg`], sourceTypes: [] }] } }),
    ]),
    [`${BASE}/h.jpg`],
  ],

  ['cache-control-drift', 'what the table gives passes', input([html('/'), asset('/_next/static/a.3f9a2c1b.js', 'text/javascript; charset=utf-8')], { site }), []],
  ['cache-control-drift', 'directive order does not matter', input([html('/', { 'cache-control': 'max-age=0, public, must-revalidate, s-maxage=300' })], { site }), []],
  ['cache-control-drift', 'an old header fails', input([html('/about/', { 'cache-control': 'public, max-age=600' })], { site }), [`${BASE}/about/`]],
  ['cache-control-drift', 'without a table nothing is judged', input([html('/about/', { 'cache-control': 'public, max-age=600' })]), []],

  ['cache-hit', 'hits pass', input([html('/', {}, { secondPass: { status: 200, xCache: 'Hit from cloudfront' } })]), []],
  ['cache-hit', 'no X-Cache is not judged', input([html('/', {}, { secondPass: { status: 200 } })]), []],
  ['cache-hit', 'misses are listed', input([html('/', {}, { secondPass: { status: 200, xCache: 'Miss from cloudfront' } }), html('/a', {}, { secondPass: { status: 200, xCache: 'Hit from cloudfront' } })]), [`${BASE}/`]],
];

describe('audit rules (pure, over fetched records)', () => {
  it.each(CASES)('%s: %s', (id, _name, audit, urls) => {
    const findings = rule(id).check(audit);
    expect(findings.map((f) => f.url)).toEqual(urls);
    for (const f of findings) {
      expect(f.rule).toBe(id);
      expect(f.severity).toBe(rule(id).severity);
      expect(f.message.length).toBeGreaterThan(0);
    }
  });

  it('every rule has a unique id, a title and a fix', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.title).not.toBe('');
      expect(r.fix).not.toBe('');
    }
  });

  it('every rule has a failing case in the table', () => {
    const failing = new Set(CASES.filter((c) => c[3].length > 0).map((c) => c[0]));
    expect(RULES.map((r) => r.id).filter((id) => !failing.has(id))).toEqual([]);
  });
});
