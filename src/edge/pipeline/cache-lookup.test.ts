import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../memory-cache.js';
import { lookupAction } from './cache-lookup.js';

const T0 = Date.UTC(2026, 0, 1);

function entry(fields: Partial<CacheEntry>): CacheEntry {
  return {
    objectPath: '/a',
    storeKey: 'a',
    status: 200,
    originStatus: 200,
    hitResult: 'Hit',
    headers: {},
    body: Buffer.alloc(0),
    storedAt: T0,
    ttl: 60,
    staleWhileRevalidate: 0,
    staleIfError: undefined,
    maxTtl: 31_536_000,
    minTtl: 0,
    ...fields,
  };
}

describe('cache lookup (§0 step 8, §2.2-§2.4)', () => {
  it.each([
    ['no entry', undefined, 0, { kind: 'miss' }],
    ['fresh', entry({}), 59, { kind: 'serve', result: 'Hit' }],
    ['fresh cached error (§4.2 Error from cloudfront)', entry({ hitResult: 'Error' }), 1, { kind: 'serve', result: 'Error' }],
    ['expired at its TTL', entry({}), 60, { kind: 'revalidate' }],
    ['inside stale-while-revalidate (§2.3)', entry({ staleWhileRevalidate: 30 }), 70, { kind: 'serve-and-refresh' }],
    ['past stale-while-revalidate', entry({ staleWhileRevalidate: 30 }), 90, { kind: 'revalidate' }],
    ['held after an origin error (§2.3)', entry({ errorHoldUntil: T0 + 100_000 }), 70, { kind: 'serve', result: 'Hit' }],
    ['the hold over', entry({ errorHoldUntil: T0 + 100_000 }), 100, { kind: 'revalidate' }],
  ] as const)('%s', (_name, cached, seconds, expected) => {
    expect(lookupAction(cached, T0 + seconds * 1000)).toEqual(expected);
  });
});
