import { describe, expect, it } from 'vitest';
import { defaultRootPath, MAX_URL_BYTES, rejectRequest, withDefaultRoot } from './viewer-request.js';
import type { RequestView } from '../function-bridge.js';

describe('viewer request checks, in §0 order (steps 1, 4, 5)', () => {
  const long = `/${'a'.repeat(MAX_URL_BYTES)}`;
  it.each([
    // url, method, content-length, transfer-encoding, expected status, detailed type, close, logged
    ['/', 'GET', undefined, undefined, undefined, undefined, undefined, undefined],
    ['/a?b=1', 'HEAD', undefined, undefined, undefined, undefined, undefined, undefined],
    ['/', 'GET', '0', undefined, undefined, undefined, undefined, undefined],
    [long, 'GET', undefined, undefined, 413, 'Error', true, false],
    // The size check comes first: a long POST is a 413, not a 403.
    [long, 'POST', '5', undefined, 413, 'Error', true, false],
    ['*', 'GET', undefined, undefined, 400, 'InvalidRequest', false, true],
    ['/', 'POST', undefined, undefined, 403, 'InvalidRequestMethod', false, true],
    ['/', 'OPTIONS', undefined, undefined, 403, 'InvalidRequestMethod', false, true],
    // The method check comes before the body check.
    ['/', 'PUT', '3', undefined, 403, 'InvalidRequestMethod', false, true],
    ['/', 'GET', '3', undefined, 403, 'InvalidRequest', true, true],
    ['/', 'GET', undefined, 'chunked', 403, 'InvalidRequest', true, true],
  ] as const)('%s %s (content-length %s, transfer-encoding %s) -> %s %s', (url, method, length, te, status, detailed, close, logged) => {
    const r = rejectRequest(url, method, length, te);
    if (status === undefined) expect(r).toBeUndefined();
    else expect(r).toMatchObject({ status, detailed, close, logged });
  });

  it('rejections before step 2 carry no behavior (its headers policy does not apply)', () => {
    expect(rejectRequest(long, 'GET', undefined, undefined)?.beforeBehavior).toBe(true);
    expect(rejectRequest('/', 'POST', undefined, undefined)?.beforeBehavior).toBe(false);
  });
});

describe('default root object (§4.9): after the function, exactly `/`', () => {
  const view = (uri: string): RequestView => ({ method: 'GET', uri, query: '', hasQuery: false, rawHeaders: [], clientIp: '127.0.0.1', requestId: 'r' });
  it.each([
    ['/', 'index.html', '/index.html'],
    ['/', 'docs/start page.html', '/docs/start%20page.html'],
    ['/', undefined, '/'],
    ['/index.html', 'home.html', '/index.html'],
    ['/docs/', 'index.html', '/docs/'],
  ])('%s with default root %s -> %s', (uri, root, expected) => {
    expect(withDefaultRoot(view(uri), defaultRootPath(root)).uri).toBe(expected);
  });
});
