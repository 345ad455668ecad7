import { describe, expect, it } from 'vitest';
import { compileHeadersPolicy, SECURITY_HEADERS_POLICY } from '../headers-policy.js';
import { LOCAL_POP } from '../ids.js';
import { flattenHeaders, preparedHitHeaders, stampCloudFrontHeaders } from './response-headers.js';
import type { BehaviorRuntime } from './types.js';

const VIA = '1.1 0123.cloudfront.net (CloudFront)';

describe("CloudFront's own response headers (§4.1)", () => {
  it.each([
    ['a hit with Age', { 'content-type': 'text/html' }, { age: '5', contentLength: 3 }, { server: 'CloudFront', 'content-length': '3', age: '5' }],
    ["the origin's Server kept", { server: 'AmazonS3' }, { contentLength: 0 }, { server: 'AmazonS3', 'content-length': '0' }],
    ['a 304: no Content-Length', {}, {}, { server: 'CloudFront' }],
  ] as const)('%s', (_name, headers, stamp, expected) => {
    const out: Record<string, string> = { ...headers };
    stampCloudFrontHeaders(out, { via: VIA, xCache: 'Hit from cloudfront', requestId: 'id1', ...stamp });
    expect(out).toEqual({ ...headers, ...expected, via: VIA, 'x-cache': 'Hit from cloudfront', 'x-amz-cf-pop': LOCAL_POP, 'x-amz-cf-id': 'id1' });
  });
});

describe('the header list of a plain hit, built at cache store', () => {
  it('has the headers policy applied, Content-Length, Via and the POP, and leaves the entry alone', () => {
    const rt = { policy: compileHeadersPolicy(SECURITY_HEADERS_POLICY) } as BehaviorRuntime;
    const entry = { headers: { 'content-type': 'text/html', 'x-frame-options': 'DENY' }, body: Buffer.from('hello') };
    const list = preparedHitHeaders(entry, rt, VIA);
    const map = Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]]));
    expect(map).toMatchObject({ 'content-type': 'text/html', 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', server: 'CloudFront', 'content-length': '5', via: VIA, 'x-amz-cf-pop': LOCAL_POP });
    expect(entry.headers).toEqual({ 'content-type': 'text/html', 'x-frame-options': 'DENY' });
  });

  it('flattens a list value into several lines (Set-Cookie)', () => {
    expect(flattenHeaders({ 'set-cookie': ['a=1', 'b=2'], vary: 'Origin' })).toEqual(['set-cookie', 'a=1', 'set-cookie', 'b=2', 'vary', 'Origin']);
  });
});
