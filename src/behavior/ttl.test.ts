import { describe, expect, it } from 'vitest';
import { edgeTtl, parseCacheControl } from './ttl.js';

const NOW = Date.UTC(2026, 0, 1);
const inSeconds = (s: number) => new Date(NOW + s * 1000).toUTCString();

describe('CloudFront TTL table (spec §2.2)', () => {
  const wide = { minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000 };
  it.each([
    // name, policy, cache-control, expires, ttl
    ['s-maxage wins over max-age (§11 case 6)', wide, 'max-age=60, s-maxage=300', undefined, 300],
    ['max-age wins over Expires (§11 case 6)', wide, 'max-age=600', inSeconds(86_400), 600],
    ['MinTTL raises a short max-age (§11 case 7)', { minTtl: 100, defaultTtl: 86_400, maxTtl: 31_536_000 }, 'max-age=10', undefined, 100],
    ['MaxTTL caps a long max-age (§11 case 7)', { minTtl: 0, defaultTtl: 86_400, maxTtl: 3_600 }, 'max-age=86400', undefined, 3_600],
    ['no headers: DefaultTTL (§11 case 8)', wide, undefined, undefined, 86_400],
    ['no headers, MinTTL above DefaultTTL (§11 case 8)', { minTtl: 200_000, defaultTtl: 86_400, maxTtl: 31_536_000 }, undefined, undefined, 200_000],
    ['no-store with CachingOptimized: MinTTL 1 (§11 case 9)', { minTtl: 1, defaultTtl: 86_400, maxTtl: 31_536_000 }, 'no-store', undefined, 1],
    ['no-store with CachingDisabled: not stored (§11 case 9)', { minTtl: 0, defaultTtl: 0, maxTtl: 0 }, 'no-store', undefined, 0],
    ['private with MinTTL 0: not stored', wide, 'private, max-age=600', undefined, 0],
    ['no-cache with MinTTL 0: not stored', wide, 'no-cache', undefined, 0],
    ['field-qualified no-cache does not stop caching', wide, 'no-cache="Set-Cookie", max-age=60', undefined, 60],
    ['Expires only: until the date', wide, undefined, inSeconds(600), 600],
    ['Expires only, beyond MaxTTL: MaxTTL', { minTtl: 0, defaultTtl: 86_400, maxTtl: 300 }, undefined, inSeconds(600), 300],
    ['Expires before now+MinTTL: MinTTL', { minTtl: 120, defaultTtl: 86_400, maxTtl: 3_600 }, undefined, inSeconds(30), 120],
    ['Expires in the past: 0', wide, undefined, inSeconds(-60), 0],
    ['unreadable Expires counts as expired', wide, undefined, 'yesterday-ish', 0],
    ['immutable one-year policy keeps a one-year object a year', { minTtl: 31_536_000, defaultTtl: 31_536_000, maxTtl: 31_536_000 }, 'public, max-age=31536000, immutable', undefined, 31_536_000],
    ['short-TTL policy honours s-maxage=300 of its objects', { minTtl: 0, defaultTtl: 300, maxTtl: 300 }, 'public, max-age=0, s-maxage=300, must-revalidate', undefined, 300],
  ])('%s', (_name, policy, cc, expires, ttl) => {
    expect(edgeTtl(policy, cc, expires, NOW)).toBe(ttl);
  });
});

describe('Cache-Control parsing', () => {
  it('reads the directives CloudFront acts on', () => {
    expect(parseCacheControl('Public, MAX-AGE=60, s-maxage="300", stale-while-revalidate=30, stale-if-error=600, must-revalidate, immutable')).toEqual({
      maxAge: 60,
      sMaxage: 300,
      staleWhileRevalidate: 30,
      staleIfError: 600,
      noCache: false,
      noStore: false,
      private: false,
      mustRevalidate: true,
      immutable: true,
    });
  });
  it('ignores malformed numbers', () => {
    expect(parseCacheControl('max-age=abc, s-maxage=-5').maxAge).toBeUndefined();
  });
});
