/** `Range: bytes=N-` with N at or past the object's size is 416 with `Content-Range: bytes *\/size` (RFC 9110 §14.1.2; S3 and CloudFront answer so), on a miss and on a hit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { request, siteFixture, textOf, type SiteFixture } from './fixture.js';

describe('a range that starts at or past the end', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] }, {}, { 'robots.txt': textOf(65), 'big.bin': Buffer.alloc(300_000, 7) });
    edge = await startEdge({ site: fx.site, store: fx.store, port: 0, announce: false });
  });
  afterAll(async () => {
    await edge?.close();
    fx?.cleanup();
  });

  it.each([
    ['bytes=65- on a 65-byte object, first request (a miss)', '/robots.txt', 'bytes=65-', 65],
    ['bytes=65- again (a hit)', '/robots.txt', 'bytes=65-', 65],
    ['bytes=1000- on a 65-byte object', '/robots.txt', 'bytes=1000-', 65],
    ['bytes=300000- on a 300,000-byte object', '/big.bin', 'bytes=300000-', 300_000],
  ])('%s is 416 with Content-Range: bytes */size', async (_label, url, range, size) => {
    const r = await request(`${edge.url}${url}`, { headers: { range } });
    expect(r.status).toBe(416);
    expect(r.headers['content-range']).toBe(`bytes */${size}`);
  });
});
