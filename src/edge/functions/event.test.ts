import { describe, expect, it } from 'vitest';
import type { CfRequest } from '../contracts.js';
import {
  applyCfRequest,
  applyCfResponseHeaders,
  cloudFrontHeaderName,
  generatedResponse,
  parseSetCookies,
  rawQueryOf,
  splitTarget,
  viewerRequestEvent,
  viewerResponseEvent,
} from './event.js';

const init = { ip: '192.0.2.1', requestId: 'abc', distributionDomainName: 'd1.cloudfront.net', distributionId: 'E1' };

describe('viewerRequestEvent (spec §7.3)', () => {
  it('builds the documented shape: lower-case headers, cookies apart, disallowed headers hidden', () => {
    const event = viewerRequestEvent(
      {
        method: 'get',
        url: '/a%20b/c?ID=42&Exp=1',
        rawHeaders: ['Host', 'example.com', 'Accept', 'a', 'ACCEPT', 'b', 'Cookie', 'x=1; y=2', 'Connection', 'keep-alive', 'X-Forwarded-Proto', 'http', 'User-Agent', 'curl'],
      },
      init,
    );
    expect(event).toEqual({
      version: '1.0',
      context: { distributionDomainName: 'd1.cloudfront.net', distributionId: 'E1', eventType: 'viewer-request', requestId: 'abc' },
      viewer: { ip: '192.0.2.1' },
      request: {
        method: 'GET',
        uri: '/a%20b/c',
        querystring: { ID: { value: '42' }, Exp: { value: '1' } },
        headers: {
          host: { value: 'example.com' },
          accept: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] },
          'user-agent': { value: 'curl' },
        },
        cookies: { x: { value: '1' }, y: { value: '2' } },
      },
    });
    expect(rawQueryOf(event.request)).toBe('ID=42&Exp=1');
  });

  it('§11 case 25: a request without a query string has querystring {} (and no raw query)', () => {
    const event = viewerRequestEvent({ method: 'GET', url: '/p', rawHeaders: [] }, init);
    expect(event.request.querystring).toEqual({});
    expect(rawQueryOf(event.request)).toBeUndefined();
    expect(rawQueryOf(viewerRequestEvent({ url: '/p?', rawHeaders: [] }, init).request)).toBe('');
  });

  it('HTTP/2 pseudo-headers are left out; :authority gives the host', () => {
    const event = viewerRequestEvent({ url: '/', rawHeaders: [':method', 'GET', ':path', '/', ':authority', 'example.com', ':scheme', 'https', 'accept', '*/*'] }, init);
    expect(event.request.headers).toEqual({ host: { value: 'example.com' }, accept: { value: '*/*' } });
  });

  it.each([
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['127.0.0.1', '127.0.0.1'],
  ])('viewer.ip %s -> %s', (ip, expected) => {
    expect(viewerRequestEvent({ url: '/', rawHeaders: [] }, { ...init, ip }).viewer.ip).toBe(expected);
  });

  it('one header with a comma list stays one value (§7.3)', () => {
    const event = viewerRequestEvent({ url: '/', rawHeaders: ['Accept', 'a, b, c'] }, init);
    expect(event.request.headers.accept).toEqual({ value: 'a, b, c' });
  });

  it.each([
    ['/x?a=1', { uri: '/x', rawQuery: 'a=1' }],
    ['/x', { uri: '/x', rawQuery: undefined }],
    ['/x?', { uri: '/x', rawQuery: '' }],
    ['http://example.com/y?z', { uri: '/y', rawQuery: 'z' }],
    ['/q?a=1?b', { uri: '/q', rawQuery: 'a=1?b' }],
  ])('splitTarget(%s)', (url, expected) => {
    expect(splitTarget(url)).toEqual(expected);
  });
});

describe('applyCfRequest', () => {
  const event = viewerRequestEvent({ url: '/p?b=2&a=1&a=3&c', rawHeaders: ['Host', 'h', 'Cookie', 'k=v;j="q"', 'X-A', '1', 'x-a', '2', 'cookie', 'z=1'] }, init);

  it('forwards an untouched query string and cookie header as received', () => {
    const copy = JSON.parse(JSON.stringify(event.request)) as CfRequest;
    expect(applyCfRequest(event, copy)).toEqual({
      method: 'GET',
      uri: '/p',
      rawQuery: 'b=2&a=1&a=3&c',
      url: '/p?b=2&a=1&a=3&c',
      headers: { host: 'h', 'x-a': ['1', '2'], cookie: 'k=v;j="q"; z=1' },
    });
  });

  it('serializes a changed query string and cookies', () => {
    const copy = JSON.parse(JSON.stringify(event.request)) as CfRequest;
    copy.querystring = { a: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] }, d: { value: '' } };
    copy.cookies = { k: { value: 'w' }, m: { value: 'n' } };
    const applied = applyCfRequest(event, copy);
    expect(applied.url).toBe('/p?a=1&a=2&d=');
    expect(applied.headers.cookie).toBe('k=w; m=n');
  });

  it('an emptied query string drops the "?"', () => {
    const copy = JSON.parse(JSON.stringify(event.request)) as CfRequest;
    copy.querystring = {};
    expect(applyCfRequest(event, copy)).toMatchObject({ url: '/p', rawQuery: undefined });
  });
});

describe('responses', () => {
  it('viewerResponseEvent moves Set-Cookie into cookies and hides disallowed headers', () => {
    const event = viewerResponseEvent(viewerRequestEvent({ url: '/', rawHeaders: [] }, init), {
      statusCode: 200,
      statusDescription: 'OK',
      headers: { 'content-type': 'text/html', 'set-cookie': ['a=1; Path=/; Secure', 'a=2', 'b=3'], 'x-cache': 'Hit from cloudfront' },
    });
    expect(event.context.eventType).toBe('viewer-response');
    expect(event.response).toEqual({
      statusCode: 200,
      statusDescription: 'OK',
      headers: { 'content-type': { value: 'text/html' } },
      cookies: {
        a: { value: '1', attributes: 'Path=/; Secure', multiValue: [{ value: '1', attributes: 'Path=/; Secure' }, { value: '2' }] },
        b: { value: '3' },
      },
    });
  });

  it('applyCfResponseHeaders keeps what the function could not see and writes cookies back as Set-Cookie', () => {
    const cookies = parseSetCookies(['a=1; Path=/', 'b=2']);
    const headers = applyCfResponseHeaders({ 'x-cache': 'Hit from cloudfront', 'content-type': 'text/plain' }, { statusCode: 200, headers: { 'x-new': { value: 'y' } }, cookies });
    expect(headers).toEqual({ 'x-cache': 'Hit from cloudfront', 'x-new': 'y', 'set-cookie': ['a=1; Path=/', 'b=2'] });
  });

  it.each([
    [undefined, ''],
    ['plain text', 'plain text'],
    [{ encoding: 'text' as const, data: 'é' }, 'é'],
    [{ encoding: 'base64' as const, data: Buffer.from('bytes').toString('base64') }, 'bytes'],
  ])('generatedResponse body %j', (body, text) => {
    const out = generatedResponse({ statusCode: 200, headers: {}, cookies: {}, ...(body === undefined ? {} : { body }) });
    expect(out.body.toString('utf8')).toBe(text);
  });
});

describe('cloudFrontHeaderName (§7.3)', () => {
  it.each([
    ['example-header-name', 'Example-Header-Name'],
    ['location', 'Location'],
    ['x-frame-options', 'X-Frame-Options'],
    ['www-authenticate', 'Www-Authenticate'],
  ])('%s -> %s', (name, expected) => {
    expect(cloudFrontHeaderName(name)).toBe(expected);
  });
});
