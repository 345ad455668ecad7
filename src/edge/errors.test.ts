import { describe, expect, it } from 'vitest';
import { errorTtl } from './errors.js';

const policy = { minTtl: 0, defaultTtl: 300, maxTtl: 3600 };
const now = Date.UTC(2026, 0, 1);

describe('which origin errors are cached, and for how long (spec §5.2)', () => {
  it.each([404, 414, 500, 501, 502, 503, 504])('%i is always cached, for ErrorCachingMinTTL by default', (status) => {
    expect(errorTtl(status, undefined, undefined, policy, 10, now)).toBe(10);
  });
  it.each([400, 403, 405, 412, 415])('%i without max-age is not cached; with max-age it is', (status) => {
    expect(errorTtl(status, undefined, undefined, policy, 10, now)).toBe(0);
    expect(errorTtl(status, 'max-age=60', undefined, policy, 10, now)).toBe(60);
  });
  it('max(ErrorCachingMinTTL, max-age) with max-age capped by MaxTTL', () => {
    expect(errorTtl(404, 'max-age=5', undefined, policy, 10, now)).toBe(10);
    expect(errorTtl(404, 's-maxage=120, max-age=5', undefined, policy, 10, now)).toBe(120);
    expect(errorTtl(404, 'max-age=99999', undefined, policy, 10, now)).toBe(3600);
  });
  it('Expires counts too', () => {
    expect(errorTtl(404, undefined, new Date(now + 50_000).toUTCString(), policy, 10, now)).toBe(50);
  });
  it('other directives leave ErrorCachingMinTTL', () => {
    expect(errorTtl(404, 'no-store, must-revalidate', undefined, policy, 30, now)).toBe(30);
  });
  it('416 is never cached', () => expect(errorTtl(416, 'max-age=60', undefined, policy, 10, now)).toBe(0));
  it('CachingDisabled caches no error', () => {
    expect(errorTtl(404, undefined, undefined, { minTtl: 0, defaultTtl: 0, maxTtl: 0 }, 10, now)).toBe(0);
  });
});
