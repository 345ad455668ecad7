import { describe, expect, it } from 'vitest';
import { notModified, type ConditionalInput } from './conditional.js';

const base: ConditionalInput = {
  ifNoneMatch: undefined,
  ifModifiedSince: undefined,
  etag: '"abc"',
  lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
  status: 200,
  cookiesForwarded: false,
};

describe('viewer conditional requests (spec §4.5)', () => {
  it('If-None-Match matching the ETag -> 304', () => expect(notModified({ ...base, ifNoneMatch: '"abc"' })).toBe(true));
  it('weak comparison: W/"abc" matches "abc" and the reverse', () => {
    expect(notModified({ ...base, ifNoneMatch: 'W/"abc"' })).toBe(true);
    expect(notModified({ ...base, etag: 'W/"abc"', ifNoneMatch: '"abc"' })).toBe(true);
  });
  it('a list and *', () => {
    expect(notModified({ ...base, ifNoneMatch: '"x", "abc"' })).toBe(true);
    expect(notModified({ ...base, ifNoneMatch: '*' })).toBe(true);
  });
  it('If-None-Match takes precedence over If-Modified-Since', () => {
    expect(notModified({ ...base, ifNoneMatch: '"other"', ifModifiedSince: 'Thu, 01 Jan 2026 00:00:00 GMT' })).toBe(false);
  });
  it('If-Modified-Since at or after Last-Modified -> 304; before -> 200', () => {
    expect(notModified({ ...base, ifModifiedSince: 'Wed, 01 Jan 2025 00:00:00 GMT' })).toBe(true);
    expect(notModified({ ...base, ifModifiedSince: 'Tue, 31 Dec 2024 00:00:00 GMT' })).toBe(false);
    expect(notModified({ ...base, ifModifiedSince: 'not a date' })).toBe(false);
  });
  it('not supported when the behavior forwards cookies', () => {
    expect(notModified({ ...base, ifNoneMatch: '"abc"', cookiesForwarded: true })).toBe(false);
  });
  it('only 200 responses', () => expect(notModified({ ...base, ifNoneMatch: '"abc"', status: 404 })).toBe(false));
});
