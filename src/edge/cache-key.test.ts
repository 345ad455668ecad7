import { describe, expect, it } from 'vitest';
import { cacheKey, keyedCookies, keyedQuery } from './cache-key.js';

const none = { queryStrings: 'none' as const, headers: [], cookies: 'none' as const };
const input = (over: Partial<Parameters<typeof cacheKey>[0]> = {}) => ({
  behaviorIndex: 0,
  method: 'GET',
  uri: '/p',
  query: '',
  header: (_: string) => undefined as string | undefined,
  acceptEncoding: '',
  ...over,
});

describe('cache key contents (spec §2.5)', () => {
  it('default key: path only; the query string and Host are not in it', () => {
    const a = cacheKey(input({ query: 'a=1', header: (n) => (n === 'host' ? 'evil.example' : undefined) }), none);
    const b = cacheKey(input(), none);
    expect(a.key).toBe(b.key);
    expect(a.objectPath).toBe('/p');
  });
  it('query strings all: ?a=1&b=2 and ?b=2&a=1 are two entries (§11 case 29)', () => {
    const cfg = { ...none, queryStrings: 'all' as const };
    expect(cacheKey(input({ query: 'a=1&b=2' }), cfg).key).not.toBe(cacheKey(input({ query: 'b=2&a=1' }), cfg).key);
    expect(cacheKey(input({ query: 'a=1' }), cfg).objectPath).toBe('/p?a=1');
  });
  it('whitelisted query strings keep their order; only & separates parameters', () => {
    expect(keyedQuery('b=2&x=9&a=1', ['a', 'b'])).toBe('b=2&a=1');
    expect(keyedQuery('color=red;size=large', ['size'])).toBe('');
  });
  it('header names are case-insensitive, values case-sensitive', () => {
    const cfg = { ...none, headers: ['Product'] };
    const k = (v: string) => cacheKey(input({ header: (n) => (n === 'product' ? v : undefined) }), cfg).key;
    expect(k('Acme')).not.toBe(k('acme'));
  });
  it('cookies are sorted by name', () => {
    expect(keyedCookies('b=2; a=1; c=3', ['a', 'b'])).toBe('a=1; b=2');
    expect(keyedCookies('b=2; a=1', 'all')).toBe('a=1; b=2');
  });
  it('the normalized Accept-Encoding is part of the key', () => {
    expect(cacheKey(input({ acceptEncoding: 'br,gzip' }), none).key).not.toBe(cacheKey(input({ acceptEncoding: 'gzip' }), none).key);
  });
  it('OPTIONS is keyed apart; GET and HEAD share entries (§1.5)', () => {
    expect(cacheKey(input({ method: 'HEAD' }), none).key).toBe(cacheKey(input(), none).key);
    expect(cacheKey(input({ method: 'OPTIONS' }), none).key).not.toBe(cacheKey(input(), none).key);
  });
  it('the path is verbatim: /A.txt and /a.txt are distinct', () => {
    expect(cacheKey(input({ uri: '/A.txt' }), none).key).not.toBe(cacheKey(input({ uri: '/a.txt' }), none).key);
  });
});
