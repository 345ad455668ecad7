import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load.js';
import { nextjsExport } from '../config/presets/index.js';
import type { BehaviorConfig } from '../config/schema.js';
import { parseRedirects } from '../redirects/parse.js';
import { compileTable, policyTtls } from './table.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-table-'));
fs.mkdirSync(path.join(root, 'edge'));
fs.writeFileSync(path.join(root, 'edge/url-handler.js'), 'function handler(e) { return e.request; }\n');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const preset = compileTable(resolveConfig(nextjsExport(), root));

describe('the nextjs-export table', () => {
  it.each([
    ['/_next/static/chunks/x.js', '_next/static/*'],
    ['/images/a.jpg', 'images/*'],
    ['/images/sub/b.avif', 'images/*'],
    ['/about', '*'],
    ['/', '*'],
    ['/_next/data/x.json', '*'],
    ['/IMAGES/a.jpg', '*'],
  ])('%s is served by %s', (urlPath, pattern) => {
    expect(preset.resolve(urlPath).pattern).toBe(pattern);
  });

  it('_next/static/* is immutable a year; images/* lets hashed names stay a year, originals a day; gzip and brotli on all', () => {
    const [next, images, fallback] = preset.behaviors;
    const key = { queryStrings: 'none', headers: [], cookies: 'none' };
    expect(next!.policy).toEqual({ name: 'immutable-1y', minTtl: 31_536_000, defaultTtl: 31_536_000, maxTtl: 31_536_000, gzip: true, brotli: true, cacheKey: key });
    expect(images!.policy).toEqual({ name: 'edge-1d-hashed-1y', minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000, gzip: true, brotli: true, cacheKey: key });
    expect(fallback!.policy.name).toBe('edge-5m');
    expect(preset.policies).toHaveLength(3);
  });

  it.each([
    ['images/hero.3f9a2c1b.640.avif', 'public, max-age=31536000, immutable', true],
    ['images/hero.jpg', 'public, max-age=3600, s-maxage=86400', false],
    ['images/manifest.json', 'public, max-age=3600, s-maxage=86400', false],
    ['_next/static/chunks/0cz1d0mv5g_q7.js', 'public, max-age=31536000, immutable', true],
    ['about.html', 'public, max-age=0, s-maxage=300, must-revalidate', false],
  ])('objectHeaders(%s) stores %s', (key, cacheControl, immutable) => {
    expect(preset.objectHeaders(key)).toMatchObject({ cacheControl, immutable });
  });

  it('hashedNames never makes HTML immutable, and reads the file name only (a hashed folder name is not enough)', () => {
    const table = compileTable(resolveConfig({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0, hashedNames: 'immutable' } }] }, root));
    expect(table.objectHeaders('css/main.min.c9ec94192456c865379dd036844061e3d09b17100710494ec1e24c493f91e9f0.css').immutable).toBe(true);
    expect(table.objectHeaders('posts/2f3a9b1c4d/index.html').immutable).toBe(false);
    expect(table.objectHeaders('page.3f9a2c1b4d.html').cacheControl).toBe('public, max-age=0, s-maxage=300, must-revalidate');
    expect(table.objectHeaders('builds/3f9a2c1b4d/readme.txt').immutable).toBe(false);
  });

  it('functions and the headers policy are on the default behavior only', () => {
    const [next, images, fallback] = preset.behaviors;
    for (const b of [next!, images!]) {
      expect(b.functions).toEqual({ viewerRequest: undefined, viewerResponse: undefined });
      expect(b.headersPolicy).toBeUndefined();
    }
    expect(fallback!.functions.viewerRequest).toEqual({ name: 'url-handler', file: path.join(root, 'edge/url-handler.js') });
    expect(fallback!.headersPolicy?.name).toBe('security');
    expect(preset.functions).toHaveLength(1);
  });

  it('object headers per key', () => {
    expect(preset.objectHeaders('about/index.html')).toMatchObject({
      cacheControl: 'public, max-age=0, s-maxage=300, must-revalidate',
      contentType: 'text/html; charset=utf-8',
    });
    expect(preset.objectHeaders('_next/static/css/a1b2c3d4.css')).toMatchObject({
      cacheControl: 'public, max-age=31536000, immutable',
      contentType: 'text/css; charset=utf-8',
    });
  });
});

describe('cache policy TTLs honour the intent under the TTL table', () => {
  it.each([
    ['immutable', { minTtl: 31_536_000, defaultTtl: 31_536_000, maxTtl: 31_536_000 }],
    ['no-store', { minTtl: 0, defaultTtl: 0, maxTtl: 0 }],
    [{ edge: 300, browser: 0 }, { minTtl: 0, defaultTtl: 300, maxTtl: 300 }],
    [{ edge: 60, browser: 0, staleWhileRevalidate: 30, staleIfError: 600 }, { minTtl: 0, defaultTtl: 60, maxTtl: 660 }],
  ] as const)('%j', (cache, ttls) => {
    expect(policyTtls(cache)).toEqual(ttls);
  });

  it('no-store behaviors are not compressed (CloudFront does not compress what it does not cache)', () => {
    const table = compileTable(resolveConfig({ behaviors: [{ path: 'api/*', cache: 'no-store' }] }, root));
    expect(table.behaviors[0]!.policy).toMatchObject({ name: 'no-store-uncompressed', gzip: false, brotli: false });
  });

  it('different cache keys give different policies with distinct names', () => {
    const table = compileTable(
      resolveConfig(
        {
          behaviors: [
            { path: 'a/*', cache: { edge: '5m', browser: 0 } },
            { path: 'b/*', cache: { edge: '5m', browser: 0 }, cacheKey: { queryStrings: 'all' } },
          ],
        },
        root,
      ),
    );
    expect(table.policies.map((p) => p.name)).toEqual(['edge-5m', 'edge-5m-keyed']);
    expect(table.behaviors[2]!.policy).toBe(table.behaviors[0]!.policy);
  });
});

describe('origin request policies: CloudFront headers the url-handler reads, forwarded but not keyed (spec §2.8)', () => {
  const handler = '/site/.edgeship/functions/url-handler.js';
  const html = { edge: 300, browser: 0 } as const;
  const behaviors: BehaviorConfig[] = [
    { path: '_astro/*', cache: 'immutable', compress: true },
    { path: 'geo/*', cache: html, compress: true, cacheKey: { queryStrings: 'none', headers: ['cloudfront-viewer-country'], cookies: 'none' }, functions: { viewerRequest: handler } },
    { path: 'blog/*', cache: html, compress: true, functions: { viewerRequest: handler } },
    { path: 'api/*', cache: 'no-store', compress: true, functions: { viewerRequest: handler } },
    { path: '*', cache: html, compress: true, functions: { viewerRequest: handler } },
  ];
  const redirects = (text: string) => ({ file: '/site/out/_redirects', dialect: 'netlify' as const, rules: parseRedirects(text, 'netlify').rules, compiled: { '/site/edge/url-handler.js': handler } });
  const withCountry = compileTable({ behaviors, headersPolicies: {}, redirects: redirects('/  /fr/  302!  Country=fr') });
  const without = compileTable({ behaviors, headersPolicies: {} });

  it.each([
    ['_astro/*', 'no url-handler', undefined],
    ['geo/*', 'its cache key already names the header (any case), so the cache policy adds it', undefined],
    ['blog/*', 'url-handler', ['CloudFront-Viewer-Country']],
    ['api/*', 'url-handler, caching disabled', ['CloudFront-Viewer-Country']],
    ['*', 'url-handler', ['CloudFront-Viewer-Country']],
  ])('%s (%s) forwards %j', (pattern, _why, headers) => {
    expect(withCountry.behaviors.find((b) => b.pattern === pattern)!.originRequest?.headers).toEqual(headers);
  });

  it('behaviors with the same list share one policy', () => {
    expect(withCountry.originRequestPolicies).toEqual([{ name: 'cloudfront-viewer-country', headers: ['CloudFront-Viewer-Country'] }]);
    const [blog, api, fallback] = withCountry.behaviors.slice(2);
    expect(blog!.originRequest).toBe(fallback!.originRequest);
    expect(api!.originRequest).toBe(fallback!.originRequest);
  });

  it('the cache policies stay as they are: the country is not in any cache key it was not in', () => {
    expect(withCountry.policies).toEqual(without.policies);
    expect(withCountry.behaviors.map((b) => b.policy.name)).toEqual(without.behaviors.map((b) => b.policy.name));
  });

  it.each([
    ['no _redirects', undefined],
    ['rules without a Country condition', '/home  /\n/en/*  /en-gb/:splat  302  Language=en'],
  ])('%s: no origin request policy anywhere', (_name, text) => {
    const table = compileTable({ behaviors, headersPolicies: {}, redirects: text === undefined ? undefined : redirects(text) });
    expect(table.originRequestPolicies).toEqual([]);
    expect(table.behaviors.map((b) => b.originRequest)).toEqual(behaviors.map(() => undefined));
  });
});
