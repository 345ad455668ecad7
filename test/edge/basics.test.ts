import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { request, siteFixture, testClock, textOf, type SiteFixture } from './fixture.js';

describe('edge basics: Miss then Hit (spec §4.1, §4.2)', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  const clock = testClock();
  beforeAll(async () => {
    fx = await siteFixture(
      { behaviors: [{ path: '_next/static/*', cache: 'immutable' }, { path: '*', cache: { edge: '5m', browser: 0 } }] },
      {},
      { 'index.html': textOf(5000, '<p>home</p>'), '_next/static/app.js': textOf(2000, 'let a=1;'), 'logo.png': Buffer.alloc(3000, 7) },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, clock, announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('serves the default root object for / with Miss, then Hit with Age', async () => {
    const first = await request(`${edge.url}/`);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('Miss from cloudfront');
    expect(first.headers.age).toBeUndefined();
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=300, must-revalidate');
    expect(first.headers.via).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(first.headers['x-amz-cf-pop']).toBe('LCL50-C1');
    expect(first.headers['x-amz-cf-id']).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(first.body.toString()).toBe(textOf(5000, '<p>home</p>'));
    clock.advance(7);
    const second = await request(`${edge.url}/`);
    expect(second.headers['x-cache']).toBe('Hit from cloudfront');
    expect(second.headers.age).toBe('7');
    expect(second.headers['x-amz-cf-id']).not.toBe(first.headers['x-amz-cf-id']);
    expect(second.body.equals(first.body)).toBe(true);
  });
});
