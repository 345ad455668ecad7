/**
 * Compression, ranges, query-string keys, invalidation and the admin endpoint over real HTTP
 * (spec §2.5-§2.6, §3, §4.7, §8; numbered cases are spec §11).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_DISCOVERY_FILE, edgeStateDir, type EdgeDiscovery } from '../../src/edge/contracts.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { faultyStore, request, siteFixture, testClock, textOf, type SiteFixture } from './fixture.js';

const HTML = textOf(5000, '<p>page</p>');

describe('edge over HTTP', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  let origin: ReturnType<typeof faultyStore>;
  const clock = testClock();
  beforeAll(async () => {
    fx = await siteFixture(
      {
        behaviors: [
          { path: 'q/*', cache: { edge: '5m', browser: 0 }, cacheKey: { queryStrings: 'all' } },
          { path: 'raw/*', cache: { edge: '5m', browser: 0 }, compress: false },
          { path: 'ae/*', cache: { edge: '5m', browser: 0 }, cacheKey: { headers: ['Accept-Encoding'] } },
          { path: '*', cache: { edge: '5m', browser: 0 } },
        ],
      },
      {},
      {
        'page.html': HTML,
        'small.html': textOf(999),
        'logo.png': Buffer.alloc(5000, 1),
        'raw/page.html': HTML,
        'ae/page.html': HTML,
        'q/p': 'p',
        'bytes.txt': Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)),
        'about': 'about',
        'about/': 'about-slash',
        'images/a/b.png': Buffer.alloc(10, 2),
      },
    );
    await fx.put('pre.js', zlib.gzipSync(Buffer.from(textOf(4000))), { contentEncoding: 'gzip' });
    origin = faultyStore(fx.store);
    edge = await startEdge({ site: fx.site, store: origin, clock });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('case 19: Accept-Encoding gzip, deflate, br -> served with Content-Encoding br, weak ETag, Vary', async () => {
    const plain = await request(`${edge.url}/page.html`);
    const r = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(HTML);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    // case 21: the strong ETag becomes weak.
    expect(r.headers.etag).toBe(`W/${plain.headers.etag}`);
    const gz = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(HTML);
  });

  it('compresses once per cached object and coding; hits reuse the compressed bytes', async () => {
    await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'br' } });
    const before = origin.gets;
    const hit = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'br' } });
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
    expect(origin.gets).toBe(before);
  });

  it('case 13: a RefreshHit serves the cached compressed bytes as they were (no recompression)', async () => {
    const first = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'br' } });
    clock.advance(301);
    const refreshed = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'br' } });
    expect(refreshed.headers['x-cache']).toBe('RefreshHit from cloudfront');
    expect(refreshed.headers['content-encoding']).toBe('br');
    expect(refreshed.body.equals(first.body)).toBe(true);
  });

  it('case 19: Accept-Encoding deflate only -> uncompressed', async () => {
    const r = await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'deflate' } });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.body.toString()).toBe(HTML);
  });

  it.each([
    ['a 999-byte body', '/small.html'],
    ['image/png', '/logo.png'],
    ['a behavior with compress false', '/raw/page.html'],
    ['Accept-Encoding listed in the cache policy', '/ae/page.html'],
  ])('case 20: no compression for %s', async (_name, p) => {
    const r = await request(`${edge.url}${p}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
  });

  it('case 20: an origin Content-Encoding: gzip body is passed through untouched', async () => {
    const r = await request(`${edge.url}/pre.js`, { headers: { 'accept-encoding': 'br' } });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(r.body).toString()).toBe(textOf(4000));
  });

  it('case 22: Range on a cached 1,000-byte object', async () => {
    const full = await request(`${edge.url}/bytes.txt`);
    expect(full.body.length).toBe(1000);
    const part = await request(`${edge.url}/bytes.txt`, { headers: { range: 'bytes=0-99', 'accept-encoding': 'br' } });
    expect(part.status).toBe(206);
    expect(part.body.length).toBe(100);
    expect(part.headers['content-range']).toBe('bytes 0-99/1000');
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.body.equals(full.body.subarray(0, 100))).toBe(true);
    const desc = await request(`${edge.url}/bytes.txt`, { headers: { range: 'bytes=300-400,100-200' } });
    expect(desc.status).toBe(200);
    expect(desc.body.length).toBe(1000);
    const overlap = await request(`${edge.url}/bytes.txt`, { headers: { range: 'bytes=100-200,150-250' } });
    expect(overlap.status).toBe(200);
    const multi = await request(`${edge.url}/bytes.txt`, { headers: { range: 'bytes=0-1,10-11' } });
    expect(multi.status).toBe(206);
    expect(multi.headers['content-type']).toMatch(/^multipart\/byteranges; boundary=/);
    const beyond = await request(`${edge.url}/bytes.txt`, { headers: { range: 'bytes=5000-6000' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */1000');
  });

  it('case 29: query strings in the key -> two entries and two origin requests; /p does not remove /p?a=1, /p* does', async () => {
    const before = origin.gets;
    await request(`${edge.url}/q/p?a=1&b=2`);
    await request(`${edge.url}/q/p?b=2&a=1`);
    expect(origin.gets - before).toBe(2);
    expect((await request(`${edge.url}/q/p?a=1&b=2`)).headers['x-cache']).toBe('Hit from cloudfront');
    expect(await edge.invalidate(['/q/p'])).toBe(0);
    expect((await request(`${edge.url}/q/p?a=1&b=2`)).headers['x-cache']).toBe('Hit from cloudfront');
    expect(await edge.invalidate(['/q/p*'])).toBe(2);
    expect((await request(`${edge.url}/q/p?a=1&b=2`)).headers['x-cache']).toBe('Miss from cloudfront');
  });

  it('case 28: invalidating /about leaves /about/ cached; /images/* removes /images/a/b.png', async () => {
    await request(`${edge.url}/about`);
    await request(`${edge.url}/about/`);
    await request(`${edge.url}/images/a/b.png`);
    await edge.invalidate(['/about']);
    expect((await request(`${edge.url}/about`)).headers['x-cache']).toBe('Miss from cloudfront');
    expect((await request(`${edge.url}/about/`)).headers['x-cache']).toBe('Hit from cloudfront');
    await edge.invalidate(['/images/*']);
    expect((await request(`${edge.url}/images/a/b.png`)).headers['x-cache']).toBe('Miss from cloudfront');
    await expect(edge.invalidate(['images/*'])).rejects.toThrow(/must start with/);
  });

  it('every variant of a path (each encoding) is invalidated together (§8.1)', async () => {
    await request(`${edge.url}/page.html`, { headers: { 'accept-encoding': 'br' } });
    await request(`${edge.url}/page.html`);
    expect(await edge.invalidate(['/page.html'])).toBeGreaterThanOrEqual(2);
  });

  it('the admin endpoint: announced in .edgeship/edge.json, guarded by the token, loopback only', async () => {
    const discovery = JSON.parse(fs.readFileSync(path.join(edgeStateDir(fx.dir), EDGE_DISCOVERY_FILE), 'utf8')) as EdgeDiscovery;
    expect(discovery.url).toBe(edge.url);
    expect(discovery.adminUrl).toBe(edge.adminUrl);
    expect(discovery.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery.storeLocation).toBe(fx.store.location);
    expect(fs.statSync(discovery.tokenFile).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(discovery.tokenFile, 'utf8').trim();
    const post = (body: unknown, auth = `Bearer ${token}`) =>
      fetch(`${edge.adminUrl}/invalidate`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ paths: ['/x'] }, 'Bearer wrong')).status).toBe(401);
    const bad = await post({ paths: ['x'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/must start with/);
    await request(`${edge.url}/page.html`);
    const ok = await post({ paths: ['/page.html'], callerReference: 'ref-1' });
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { id: string; invalidated: number };
    expect(answer.id).toMatch(/^I/);
    expect(answer.invalidated).toBe(1);
  });
});

describe('edge shutdown', () => {
  it('close() frees the port and removes the discovery file', async () => {
    const fx = await siteFixture({});
    const edge = await startEdge({ site: fx.site, store: fx.store });
    const file = path.join(edgeStateDir(fx.dir), EDGE_DISCOVERY_FILE);
    expect(fs.existsSync(file)).toBe(true);
    const port = new URL(edge.url).port;
    await edge.close();
    expect(fs.existsSync(file)).toBe(false);
    const again = await startEdge({ site: fx.site, store: fx.store, port: Number(port), announce: false });
    expect(new URL(again.url).port).toBe(port);
    await again.close();
    fx.cleanup();
  });
});

describe('edge start-up errors', () => {
  it('a port in use is a PORT_IN_USE error naming the address and the fix', async () => {
    const fx = await siteFixture({});
    const first = await startEdge({ site: fx.site, store: fx.store, announce: false });
    const port = Number(new URL(first.url).port);
    await expect(startEdge({ site: fx.site, store: fx.store, port, announce: false })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    await first.close();
    fx.cleanup();
  });
});
