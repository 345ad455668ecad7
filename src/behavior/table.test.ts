import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load.js';
import { nextjsExport } from '../config/presets.js';
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

  it('_next/static/* and images/* share one one-year policy with gzip and brotli', () => {
    const [next, images, fallback] = preset.behaviors;
    expect(next!.policy).toBe(images!.policy);
    expect(next!.policy).toEqual({
      name: 'immutable-1y',
      minTtl: 31_536_000,
      defaultTtl: 31_536_000,
      maxTtl: 31_536_000,
      gzip: true,
      brotli: true,
      cacheKey: { queryStrings: 'none', headers: [], cookies: 'none' },
    });
    expect(fallback!.policy.name).toBe('edge-5m');
    expect(preset.policies).toHaveLength(2);
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
