/**
 * CloudFront's viewer headers through the running edge: `edge.viewer` in the config, added for
 * the behaviors whose cache key names them, seen by the viewer-request function and keyed in
 * the cache; a viewer's own copies never get through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { request, siteFixture, testClock, type SiteFixture } from './fixture.js';

const ECHO = `function handler(event) {
  var seen = {};
  for (var name in event.request.headers) if (name.indexOf('cloudfront-') === 0) seen[name] = event.request.headers[name].value;
  return { statusCode: 200, headers: { 'content-type': { value: 'application/json' } }, body: JSON.stringify(seen) };
}
`;

describe("CloudFront's viewer headers at the local edge", () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    fx = await siteFixture(
      {
        behaviors: [
          { path: 'geo/*', cache: { edge: '5m', browser: 0 }, cacheKey: { headers: ['CloudFront-Viewer-Country', 'CloudFront-Is-Mobile-Viewer'] }, functions: { viewerRequest: 'edge/echo.js' } },
          { path: 'keyed/*', cache: { edge: '5m', browser: 0 }, cacheKey: { headers: ['CloudFront-Viewer-Country'] } },
          { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/echo.js' } },
        ],
        edge: { viewer: { country: 'DE', city: 'Berlin', device: 'mobile' } },
      },
      { 'edge/echo.js': ECHO },
      { 'keyed/page.html': 'de page' },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('the viewer-request function sees the headers its behavior names, with the configured values', async () => {
    const r = await request(`${edge.url}/geo/x`);
    expect(JSON.parse(r.body.toString())).toEqual({ 'cloudfront-viewer-country': 'DE', 'cloudfront-is-mobile-viewer': 'true' });
  });

  it("a viewer's own copies are replaced where the behavior names the header, and dropped where it does not", async () => {
    const spoof = { 'CloudFront-Viewer-Country': 'XX', 'CloudFront-Viewer-City': 'Nowhere' };
    expect(JSON.parse((await request(`${edge.url}/geo/x`, { headers: spoof })).body.toString())).toEqual({ 'cloudfront-viewer-country': 'DE', 'cloudfront-is-mobile-viewer': 'true' });
    expect(JSON.parse((await request(`${edge.url}/other`, { headers: spoof })).body.toString())).toEqual({});
  });

  it('the cache key holds the value CloudFront makes: a viewer cannot split or poison the entry with its own', async () => {
    const first = await request(`${edge.url}/keyed/page.html`, { headers: { 'CloudFront-Viewer-Country': 'FR' } });
    const second = await request(`${edge.url}/keyed/page.html`, { headers: { 'CloudFront-Viewer-Country': 'US' } });
    const third = await request(`${edge.url}/keyed/page.html`);
    expect(first.headers['x-cache']).toBe('Miss from cloudfront');
    expect(second.headers['x-cache']).toBe('Hit from cloudfront');
    expect(third.headers['x-cache']).toBe('Hit from cloudfront');
    expect(third.body.toString()).toBe('de page');
  });
});
