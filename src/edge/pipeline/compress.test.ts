import { describe, expect, it } from 'vitest';
import { compressedHeaders } from './compress.js';

describe('headers of a compressed variant (§3.2, §3.4)', () => {
  it.each([
    [{ 'content-type': 'text/html' }, 'br', { 'content-type': 'text/html', 'content-encoding': 'br', vary: 'Accept-Encoding' }],
    [{ vary: 'Origin' }, 'gzip', { vary: 'Origin, Accept-Encoding', 'content-encoding': 'gzip' }],
    [{ vary: 'accept-encoding' }, 'br', { vary: 'accept-encoding', 'content-encoding': 'br' }],
    [{ etag: '"abc"' }, 'br', { etag: 'W/"abc"', 'content-encoding': 'br', vary: 'Accept-Encoding' }],
    [{ etag: 'W/"abc"' }, 'gzip', { etag: 'W/"abc"', 'content-encoding': 'gzip', vary: 'Accept-Encoding' }],
  ] as const)('%o with %s', (headers, coding, expected) => {
    const input = { ...headers };
    expect(compressedHeaders(input, coding)).toEqual(expected);
    // The origin's headers stay as they were (the identity variant may be cached too).
    expect(input).toEqual(headers);
  });
});
