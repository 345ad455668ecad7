/**
 * Caching at the edge over real HTTP on loopback, with an injected clock (spec §2, §4, §5;
 * the numbered cases are spec §11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { faultyStore, request, siteFixture, testClock, textOf, type SiteFixture } from './fixture.js';

const HTML = textOf(5000, '<p>page</p>');

describe('TTLs, revalidation and stale content', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  let origin: ReturnType<typeof faultyStore>;
  const clock = testClock();
  beforeAll(async () => {
    fx = await siteFixture({
      behaviors: [
        { path: 'nostore/*', cache: 'no-store' },
        { path: '*', cache: { edge: '365d', browser: 0 } },
      ],
      errors: [{ status: 404, ttl: 10 }],
    });
    origin = faultyStore(fx.store);
    edge = await startEdge({ site: fx.site, store: origin, clock, announce: false, listBucket: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('case 6: s-maxage=300 wins over max-age at the edge; the header reaches the viewer unchanged', async () => {
    await fx.put('six.html', HTML, { cacheControl: 'max-age=60, s-maxage=300' });
    const miss = await request(`${edge.url}/six.html`);
    expect(miss.headers['x-cache']).toBe('Miss from cloudfront');
    expect(miss.headers['cache-control']).toBe('max-age=60, s-maxage=300');
    clock.advance(299);
    expect((await request(`${edge.url}/six.html`)).headers['x-cache']).toBe('Hit from cloudfront');
    clock.advance(2);
    // Expired: revalidated with the origin, unchanged -> RefreshHit (§2.4, case 13).
    const refreshed = await request(`${edge.url}/six.html`);
    expect(refreshed.headers['x-cache']).toBe('RefreshHit from cloudfront');
    expect(refreshed.body.toString()).toBe(HTML);
  });

  // §11 case 6 with an Expires a day ahead is the TTL table's own test ("max-age wins over
  // Expires", src/behavior/ttl.test.ts): objects in the store carry no Expires header.
  it('case 6 at the edge: max-age=600 keeps the object 600 s, then it is revalidated', async () => {
    await fx.put('six-b.html', HTML, { cacheControl: 'max-age=600' });
    await request(`${edge.url}/six-b.html`);
    clock.advance(599);
    expect((await request(`${edge.url}/six-b.html`)).headers['x-cache']).toBe('Hit from cloudfront');
    clock.advance(2);
    expect((await request(`${edge.url}/six-b.html`)).headers['x-cache']).toBe('RefreshHit from cloudfront');
  });

  it('case 9: CachingDisabled (no-store behavior) -> every request goes to the origin, no collapsing', async () => {
    await fx.put('nostore/a.html', HTML);
    const before = origin.gets;
    origin.pause();
    const all = Promise.all([1, 2, 3].map(() => request(`${edge.url}/nostore/a.html`)));
    // All three reach the origin while it holds them: none waits on another's fetch.
    await until(() => origin.gets - before === 3);
    expect(edge.handler.collapsedWaiting).toBe(0);
    origin.resume();
    const replies = await all;
    expect(replies.map((r) => r.headers['x-cache'])).toEqual(['Miss from cloudfront', 'Miss from cloudfront', 'Miss from cloudfront']);
    expect(origin.gets - before).toBe(3);
  });

  it('request collapsing: concurrent misses for one key make one origin request (first Miss, others Hit)', async () => {
    await fx.put('collapse.html', HTML);
    const before = origin.gets;
    origin.pause();
    const all = Promise.all([1, 2, 3, 4].map(() => request(`${edge.url}/collapse.html`)));
    // Resumed only once one request holds the origin and the three others wait on its fetch:
    // none of them can be a plain hit on a filled cache.
    await until(() => origin.gets - before === 1 && edge.handler.collapsedWaiting === 3);
    origin.resume();
    const replies = await all;
    expect(origin.gets - before).toBe(1);
    expect(replies.map((r) => r.headers['x-cache']).sort()).toEqual(['Hit from cloudfront', 'Hit from cloudfront', 'Hit from cloudfront', 'Miss from cloudfront']);
  });

  it('case 10: viewer Cache-Control: no-cache and Pragma: no-cache cannot force a refetch', async () => {
    await fx.put('ten.html', HTML);
    await request(`${edge.url}/ten.html`);
    const r = await request(`${edge.url}/ten.html`, { headers: { 'cache-control': 'no-cache', pragma: 'no-cache' } });
    expect(r.headers['x-cache']).toBe('Hit from cloudfront');
  });

  it('case 11: stale-while-revalidate -> stale body at once plus exactly one background refresh; past the window -> synchronous', async () => {
    await fx.put('swr.html', 'v1'.repeat(10), { cacheControl: 'max-age=60, stale-while-revalidate=30' });
    await request(`${edge.url}/swr.html`);
    await fx.put('swr.html', 'v2'.repeat(10), { cacheControl: 'max-age=60, stale-while-revalidate=30' });
    clock.advance(70);
    const calls = origin.gets + origin.heads;
    origin.pause();
    const a = await request(`${edge.url}/swr.html`);
    const b = await request(`${edge.url}/swr.html`);
    expect(a.body.toString()).toBe('v1'.repeat(10));
    expect(b.body.toString()).toBe('v1'.repeat(10));
    expect(a.headers['x-cache']).toBe('Hit from cloudfront');
    origin.resume();
    await edge.handler.settle();
    // One conditional request (HEAD: the ETag changed), then the GET of the new body.
    expect(origin.heads + origin.gets - calls).toBe(2);
    expect((await request(`${edge.url}/swr.html`)).body.toString()).toBe('v2'.repeat(10));
    // Past max-age + swr with no refresh -> the origin is asked before answering.
    clock.advance(100);
    await fx.put('swr.html', 'v3'.repeat(10), { cacheControl: 'max-age=60, stale-while-revalidate=30' });
    const sync = await request(`${edge.url}/swr.html`);
    expect(sync.body.toString()).toBe('v3'.repeat(10));
    expect(sync.headers['x-cache']).toBe('Miss from cloudfront');
  });

  it('case 12: stale-if-error -> stale 200 while the origin fails inside the window, error after it', async () => {
    await fx.put('sie.html', HTML, { cacheControl: 'max-age=60, stale-if-error=600' });
    await request(`${edge.url}/sie.html`);
    clock.advance(120);
    origin.mode = 'fail';
    try {
      const stale = await request(`${edge.url}/sie.html`);
      expect(stale.status).toBe(200);
      expect(stale.body.toString()).toBe(HTML);
      clock.advance(580); // t = 700 s
      const gone = await request(`${edge.url}/sie.html`);
      expect(gone.status).toBe(502);
      expect(gone.headers['x-cache']).toBe('Error from cloudfront');
      expect(gone.body.toString()).toContain('Generated by cloudfront (CloudFront)');
    } finally {
      origin.mode = 'ok';
    }
  });

  it('stale-if-error=0: an expired copy is not served when the origin fails on revalidation -> 502 (§2.2)', async () => {
    await fx.put('sie0.html', HTML, { cacheControl: 'max-age=60, stale-if-error=0' });
    await request(`${edge.url}/sie0.html`);
    clock.advance(61);
    origin.mode = 'fail';
    try {
      const r = await request(`${edge.url}/sie0.html`);
      expect(r.status).toBe(502);
      expect(r.headers['x-cache']).toBe('Error from cloudfront');
    } finally {
      origin.mode = 'ok';
    }
  });

  it('origin unreachable on a miss -> 502, cached for the error TTL (§9.6)', async () => {
    await fx.put('down.html', HTML);
    origin.mode = 'fail';
    try {
      expect((await request(`${edge.url}/down.html`)).status).toBe(502);
    } finally {
      origin.mode = 'ok';
    }
    expect((await request(`${edge.url}/down.html`)).status).toBe(502);
    clock.advance(11);
    expect((await request(`${edge.url}/down.html`)).status).toBe(200);
  });

  it('case 14/15: a missing key -> 403 AccessDenied XML (OAC without ListBucket), not cached: every request reaches the origin', async () => {
    const before = origin.gets;
    const r = await request(`${edge.url}/missing.html`);
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.headers.server).toBe('AmazonS3');
    expect(r.headers['x-cache']).toBe('Error from cloudfront');
    expect(r.body.toString()).toContain('<Code>AccessDenied</Code>');
    await request(`${edge.url}/missing.html`);
    expect(origin.gets - before).toBe(2);
  });

  it('conditional requests -> 304 with no body (§4.5); HEAD has headers only (§4.8)', async () => {
    await fx.put('cond.html', HTML);
    const first = await request(`${edge.url}/cond.html`);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const r304 = await request(`${edge.url}/cond.html`, { headers: { 'if-none-match': `W/${etag}` } });
    expect(r304.status).toBe(304);
    expect(r304.body.length).toBe(0);
    expect(r304.headers.etag).toBe(etag);
    expect(r304.headers['x-cache']).toBe('Hit from cloudfront');
    const ims = await request(`${edge.url}/cond.html`, { headers: { 'if-modified-since': first.headers['last-modified']! } });
    expect(ims.status).toBe(304);
    const head = await request(`${edge.url}/cond.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(HTML.length));
    expect(head.body.length).toBe(0);
  });
});

describe('404 from an origin that grants ListBucket (case 14, 15)', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  let origin: ReturnType<typeof faultyStore>;
  const clock = testClock();
  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] });
    origin = faultyStore(fx.store);
    edge = await startEdge({ site: fx.site, store: origin, clock, announce: false, listBucket: true });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('404 NoSuchKey is cached 10 s: a second request within 10 s does not reach the origin', async () => {
    const before = origin.gets;
    const r = await request(`${edge.url}/nope.html`);
    expect(r.status).toBe(404);
    expect(r.body.toString()).toContain('<Code>NoSuchKey</Code>');
    expect(r.headers['x-cache']).toBe('Error from cloudfront');
    clock.advance(9);
    const again = await request(`${edge.url}/nope.html`);
    expect(again.status).toBe(404);
    expect(again.headers['x-cache']).toBe('Error from cloudfront');
    expect(origin.gets - before).toBe(1);
    clock.advance(2);
    await request(`${edge.url}/nope.html`);
    expect(origin.gets - before).toBe(2);
  });
});

describe('custom error responses (spec §5, case 16)', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    fx = await siteFixture(
      { behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }], errors: [{ status: 403, page: '/index.html', responseStatus: 200, ttl: 0 }] },
      {},
      { 'index.html': HTML },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('SPA: 403 -> /index.html with 200; X-Cache stays Error', async () => {
    const r = await request(`${edge.url}/app/route`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(HTML);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-cache']).toBe('Error from cloudfront');
  });
});

describe('default root object and keys (spec §4.9, case 18)', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] }, {}, { 'index.html': 'root', 'docs/index.html': 'docs' });
    edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('GET / -> index.html; GET /docs/ is forwarded as /docs/ (no index document); GET /// is not the root', async () => {
    expect((await request(`${edge.url}/`)).body.toString()).toBe('root');
    expect((await request(`${edge.url}/?x=1`)).body.toString()).toBe('root');
    expect((await request(`${edge.url}/docs/`)).status).toBe(403);
    expect((await request(`${edge.url}///`)).status).toBe(403);
    expect((await request(`${edge.url}/docs/index.html`)).body.toString()).toBe('docs');
  });
});

describe('the cache is bounded in bytes (--cache-size)', () => {
  it('keeps at most cacheSize bytes; the least recently used objects go first', async () => {
    const objects: Record<string, string> = {};
    for (let i = 0; i < 10; i++) objects[`o${i}.html`] = textOf(5000, `<p>${i}</p>`);
    const fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '1h', browser: 0 }, compress: false }] }, {}, objects);
    const edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false, cacheSize: 20_000 });
    for (let i = 0; i < 10; i++) await request(`${edge.url}/o${i}.html`);
    expect(edge.handler.cache.bytes).toBeLessThanOrEqual(20_000);
    expect(edge.handler.cache.size).toBeGreaterThan(0);
    expect((await request(`${edge.url}/o9.html`)).headers['x-cache']).toBe('Hit from cloudfront');
    expect((await request(`${edge.url}/o0.html`)).headers['x-cache']).toBe('Miss from cloudfront');
    await edge.close();
    fx.cleanup();
  });
});

describe('objects too large to buffer stream through (never read whole into memory)', () => {
  it('an 11 MB object: whole, one range read from the origin as a range, HEAD, 304; not cached', async () => {
    const big = Buffer.alloc(11_000_000);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '1h', browser: 0 } }] }, {}, { 'big.bin': big });
    const origin = faultyStore(fx.store);
    const edge = await startEdge({ site: fx.site, store: origin, clock: testClock(), announce: false, cacheSize: 16 * 1024 * 1024 });
    const whole = await request(`${edge.url}/big.bin`);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(big)).toBe(true);
    expect(whole.headers['x-cache']).toBe('Miss from cloudfront');
    expect((await request(`${edge.url}/big.bin`)).headers['x-cache']).toBe('Miss from cloudfront');
    const part = await request(`${edge.url}/big.bin`, { headers: { range: 'bytes=4096-4105' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 4096-4105/11000000');
    expect(part.body.equals(big.subarray(4096, 4106))).toBe(true);
    const head = await request(`${edge.url}/big.bin`, { method: 'HEAD' });
    expect(head.headers['content-length']).toBe('11000000');
    const r304 = await request(`${edge.url}/big.bin`, { headers: { 'if-none-match': whole.headers.etag! } });
    expect(r304.status).toBe(304);
    expect(edge.handler.cache.bytes).toBe(0);
    await edge.close();
    fx.cleanup();
  });
});

/** Waits for a condition the fixture exposes (bounded: 2,000 turns of 5 ms), never for a guessed time. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
