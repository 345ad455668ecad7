import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBody, compressedEtag, compressionFor, type CompressionInput } from './compression.js';

const base: CompressionInput = {
  behaviorCompress: true,
  acceptEncodingKeyed: false,
  coding: 'br',
  status: 200,
  contentEncoding: undefined,
  contentLength: 5_000,
  contentType: 'text/html; charset=utf-8',
  range: false,
};

describe('when the edge compresses (spec §3.1, §11 cases 19-20)', () => {
  it('compresses a 5,000-byte text/html 200 with the preferred coding', () => {
    expect(compressionFor(base)).toBe('br');
    expect(compressionFor({ ...base, coding: 'gzip' })).toBe('gzip');
  });
  it.each([
    ['body of 999 bytes', { contentLength: 999 }],
    ['no Content-Length', { contentLength: undefined }],
    ['over 10,000,000 bytes', { contentLength: 10_000_001 }],
    ['Content-Type image/png', { contentType: 'image/png' }],
    ['origin sent Content-Encoding: gzip', { contentEncoding: 'gzip' }],
    ['origin sent Content-Encoding: identity', { contentEncoding: 'identity' }],
    ['status 206', { status: 206 }],
    ['status 500', { status: 500 }],
    ['a Range request', { range: true }],
    ['the viewer accepts neither coding (or HTTP/1.0)', { coding: undefined }],
    ['Accept-Encoding listed in the cache policy', { acceptEncodingKeyed: true }],
    ['behavior Compress false', { behaviorCompress: false }],
  ] as const)('not when: %s', (_name, change) => {
    expect(compressionFor({ ...base, ...change })).toBeUndefined();
  });
  it.each([1_000, 10_000_000])('the window bounds are inclusive (%i bytes)', (n) => {
    expect(compressionFor({ ...base, contentLength: n })).toBe('br');
  });
  it('compresses 403 and 404 responses too', () => {
    expect(compressionFor({ ...base, status: 403 })).toBe('br');
    expect(compressionFor({ ...base, status: 404 })).toBe('br');
  });
  it('matches the media type without parameters, case-insensitively (§3.3 gap)', () => {
    expect(compressionFor({ ...base, contentType: 'Application/JSON; charset=utf-8' })).toBe('br');
    expect(compressionFor({ ...base, contentType: 'image/svg+xml' })).toBe('br');
    expect(compressionFor({ ...base, contentType: 'application/octet-stream' })).toBeUndefined();
  });
});

describe('ETag conversion (spec §3.2, §11 case 21)', () => {
  it('a strong ETag becomes weak', () => expect(compressedEtag('"abc"')).toBe('W/"abc"'));
  it('a weak ETag stays', () => expect(compressedEtag('W/"abc"')).toBe('W/"abc"'));
  it('an invalid ETag is removed', () => expect(compressedEtag('abc')).toBeUndefined());
});

describe('compressBody', () => {
  it('round-trips with both codings', async () => {
    const body = Buffer.from('hello edge '.repeat(500));
    expect(zlib.brotliDecompressSync(await compressBody(body, 'br')).equals(body)).toBe(true);
    expect(zlib.gunzipSync(await compressBody(body, 'gzip')).equals(body)).toBe(true);
  });
});
