/**
 * Netlify's `Country=` conditions at the local edge, through the url-handler `init` writes:
 * the rule reads `CloudFront-Viewer-Country`, which CloudFront adds only for a behavior whose
 * cache or origin request policy names it (adding-cloudfront-headers.html). The table forwards
 * it on the url-handler's behaviors, so the country `edge.viewer` stands in for decides, as the
 * viewer's location does on CloudFront.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';
import { request } from '../edge/fixture.js';

// The shape of Netlify's example (redirect-options, "Redirect by country or language").
const REDIRECTS = ['/        /fr/   302!  Country=fr', '/offres  /fr/   302   Country=fr,be'].join('\n');

describe('Country conditions at the local edge', () => {
  let root: string;
  const edges: Record<'FR' | 'US', RunningEdge | undefined> = { FR: undefined, US: undefined };
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-country-'));
    const files: Record<string, string> = {
      'out/index.html': 'home',
      'out/fr/index.html': 'accueil',
      'out/_redirects': `${REDIRECTS}\n`,
      'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const config = (country: string): EdgeshipConfig => ({
      site: 'out',
      behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }],
      edge: { viewer: { country } },
    });
    const store = new FsStore(path.join(root, '.edgeship/store'));
    await deploySite(resolveConfig(config('FR'), root));
    for (const country of ['FR', 'US'] as const) {
      edges[country] = await startEdge({ site: resolveConfig(config(country), root), store, port: 0, announce: false });
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(edges).map((e) => e?.close()));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['/', '/fr/'],
    ['/offres', '/fr/'],
  ])('a viewer in FR asking %s is redirected to %s', async (url, location) => {
    const reply = await request(`${edges.FR!.url}${url}`);
    expect([reply.status, reply.headers.location]).toEqual([302, location]);
  });

  it('a viewer in US gets the page', async () => {
    const reply = await request(`${edges.US!.url}/`);
    expect([reply.status, reply.body.toString()]).toEqual([200, 'home']);
  });

  it("a viewer's own CloudFront-Viewer-Country is dropped, not believed", async () => {
    const reply = await request(`${edges.US!.url}/`, { headers: { 'CloudFront-Viewer-Country': 'FR' } });
    expect([reply.status, reply.body.toString()]).toEqual([200, 'home']);
  });
});
