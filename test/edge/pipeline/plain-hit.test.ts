/** The hit path alone: which requests it answers from the stored header list, and which it leaves to the full pipeline. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../../src/behavior/table.js';
import { normalizeAcceptEncoding } from '../../../src/edge/accept-encoding.js';
import { MemoryCache, type CacheEntry } from '../../../src/edge/memory-cache.js';
import { Behaviors } from '../../../src/edge/pipeline/behaviors.js';
import { requestKey } from '../../../src/edge/pipeline/cache-lookup.js';
import { storeEntry } from '../../../src/edge/pipeline/origin-response.js';
import { hitPathAcceptEncoding, PlainHits } from '../../../src/edge/pipeline/plain-hit.js';
import { request, siteFixture, testClock, type SiteFixture } from '../fixture.js';

let fixture: SiteFixture;
let server: http.Server;
let port = 0;
let hits: PlainHits;
const clock = testClock();
/** Whether the last request was answered on the hit path (else the test server answers 599). */
let answered = false;

beforeAll(async () => {
  fixture = await siteFixture(
    { behaviors: [{ path: 'fn/*', cache: 'immutable', functions: { viewerRequest: 'fn.js' } }, { path: '*', cache: { edge: '1m', browser: 0 } }], defaultRootObject: 'index.html' },
    { 'fn.js': 'function handler(event) { return event.request; }' },
  );
  const behaviors = new Behaviors(compileTable(fixture.site), new Map([[`${fixture.dir}/fn.js`, { name: 'fn' } as never]]));
  const cache = new MemoryCache(1 << 20);
  hits = new PlainHits({ behaviors, cache, clock, nextId: () => 'id', defaultRoot: '/index.html' });
  const put = (uri: string, acceptEncoding: string | undefined, body: string) => {
    const rt = behaviors.forPath(uri);
    const ae = normalizeAcceptEncoding(acceptEncoding, rt.behavior.policy, '1.1');
    const { key, objectPath } = requestKey(rt, 'GET', uri, '', () => undefined, ae);
    const entry: CacheEntry = { objectPath, storeKey: uri.slice(1), status: 200, originStatus: 200, hitResult: 'Hit', headers: { 'content-type': 'text/html' }, body: Buffer.from(body), storedAt: clock(), ttl: 60, staleWhileRevalidate: 0, staleIfError: undefined, maxTtl: 60, minTtl: 0 };
    storeEntry({ cache, via: 'via' }, { rt, key }, entry);
  };
  put('/index.html', undefined, 'home');
  put('/a.html', undefined, 'identity');
  put('/a.html', 'br', 'brotli');
  put('/fn/x.js', undefined, 'x');
  server = http.createServer((req, res) => {
    answered = hits.tryServe(req, res);
    if (!answered) res.writeHead(599).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fixture.cleanup();
});

/** node:http rather than fetch: fetch sends an Accept-Encoding of its own. */
async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const r = await request(`http://127.0.0.1:${port}${path}`, { method, headers });
  return { status: r.status, body: r.body.toString(), headers: r.headers };
}

describe('the hit path', () => {
  it.each([
    ['/a.html', {}, 'identity'],
    ['/a.html', { 'accept-encoding': 'br' }, 'brotli'],
    ['/a.html?utm=1', {}, 'identity'],
    ['/', {}, 'home'],
  ] as const)('answers a fresh hit: %s %o', async (path, headers, body) => {
    const r = await get(path, { ...headers });
    expect(answered).toBe(true);
    expect(r.body).toBe(body);
    expect(r.headers).toMatchObject({ 'x-cache': 'Hit from cloudfront', age: '0', 'x-amz-cf-id': 'id', via: 'via' });
  });

  it.each([
    ['a miss', '/b.html', {}],
    ['a Range request', '/a.html', { range: 'bytes=0-1' }],
    ['a conditional request', '/a.html', { 'if-none-match': '"x"' }],
    ['a CORS request', '/a.html', { origin: 'https://example.com' }],
    ['Pragma', '/a.html', { pragma: 'no-cache' }],
    ['a behavior with a function', '/fn/x.js', {}],
  ] as const)('leaves %s to the full pipeline', async (_name, path, headers) => {
    await get(path, { ...headers });
    expect(answered).toBe(false);
  });

  it('answers the same request again from the key memo, and HEAD from the GET entry', async () => {
    expect((await get('/a.html', { 'accept-encoding': 'br' })).body).toBe('brotli');
    expect((await get('/a.html', { 'accept-encoding': 'br' })).body).toBe('brotli');
    const head = await get('/a.html', { 'accept-encoding': 'br' }, 'HEAD');
    expect(answered).toBe(true);
    expect(head.headers['content-length']).toBe('6');
    expect(head.body).toBe('');
  });

  it('leaves other methods and expired entries to the full pipeline', async () => {
    await get('/a.html', {}, 'POST');
    expect(answered).toBe(false);
    clock.advance(61);
    await get('/a.html');
    expect(answered).toBe(false);
  });
});

describe('headers read on the hit path, in one pass over the raw lines', () => {
  it.each([
    [[], ''],
    [['Host', 'x', 'Accept-Encoding', 'br'], 'br'],
    [['accept-encoding', 'gzip', 'ACCEPT-ENCODING', 'br'], 'gzip, br'],
    [['Range', 'bytes=0-1'], undefined],
    [['If-None-Match', '"e"'], undefined],
    [['If-Modified-Since', 'x'], undefined],
    [['Origin', 'https://a'], undefined],
    [['PRAGMA', 'no-cache'], undefined],
    [['Content-Length', '1'], undefined],
    [['Transfer-Encoding', 'chunked'], undefined],
    // Same lengths as the names looked for, other names.
    [['X-Ray', '1', 'Referer', 'r', 'accept-language', 'en'], ''],
  ])('%o -> %s', (raw, expected) => {
    expect(hitPathAcceptEncoding(raw)).toBe(expected);
  });
});
