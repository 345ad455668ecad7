/** Behavior selection at the edge (spec §1.2; numbered cases are spec §11) and MinTTL > 0. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { rawRequest, request, siteFixture, testClock, textOf, type SiteFixture } from './fixture.js';

const tag = (name: string) => ({ customHeaders: [{ name: 'x-behavior', value: name, override: true }] });

describe('behaviors at the edge', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  const clock = testClock();
  beforeAll(async () => {
    fx = await siteFixture(
      {
        behaviors: [
          { path: 'images/*.jpg', cache: 'immutable', headers: 'jpg' },
          { path: 'images/*', cache: 'immutable', headers: 'images' },
          { path: '*.gif', cache: 'immutable', headers: 'gif' },
          { path: '*.doc*', cache: { edge: '5m', browser: 0 }, headers: 'doc' },
          { path: '*', cache: { edge: '5m', browser: 0 }, headers: 'default' },
        ],
        headersPolicies: { jpg: tag('jpg'), images: tag('images'), gif: tag('gif'), doc: tag('doc'), default: tag('default') },
      },
      {},
      { 'images/sample.gif': 'g', 'LOGO.JPG': 'L', 'a/b.docx': 'd', 'a.doc': 'a', 'images/x/y.jpg': 'j', 'page.html': textOf(5000) },
    );
    edge = await startEdge({ site: fx.site, store: fx.store, clock, announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  const behaviorOf = async (p: string) => (await request(`${edge.url}${p}`)).headers['x-behavior'];

  it('case 1: /images/sample.gif uses images/* (first match), not *.gif', async () => expect(await behaviorOf('/images/sample.gif')).toBe('images'));
  it('case 2: /LOGO.JPG uses the default behavior (patterns are case-sensitive)', async () => expect(await behaviorOf('/LOGO.JPG')).toBe('default'));
  it('case 3: *.doc* matches /a/b.docx?x=1 (query ignored, * crosses /)', async () => expect(await behaviorOf('/a/b.docx?x=1')).toBe('doc'));
  it('images/*.jpg matches in subdirectories', async () => expect(await behaviorOf('/images/x/y.jpg')).toBe('jpg'));

  it('case 9: MinTTL > 0 keeps a no-store response for MinTTL (here the immutable policy, MinTTL one year)', async () => {
    await fx.put('images/nostore.png', 'n', { cacheControl: 'no-store' });
    await request(`${edge.url}/images/nostore.png`);
    clock.advance(3600);
    expect((await request(`${edge.url}/images/nostore.png`)).headers['x-cache']).toBe('Hit from cloudfront');
  });

  it('case 20: an HTTP/1.0 request is never compressed', async () => {
    const r = await rawRequest(edge.url, 'GET /page.html HTTP/1.0\r\nHost: x\r\nAccept-Encoding: br, gzip\r\n\r\n', 2000);
    expect(r.text).toMatch(/^HTTP\/1\.[01] 200/);
    expect(r.text.toLowerCase()).not.toContain('content-encoding');
    expect(r.text).toContain(textOf(5000));
  });
});
