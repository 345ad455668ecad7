/**
 * `--workers N`: processes sharing the port through node:cluster; an invalidation reaches every
 * worker before the admin endpoint answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeCluster, type RunningCluster } from '../../src/edge/cluster.js';
import { EDGE_DISCOVERY_FILE, edgeStateDir, type EdgeDiscovery } from '../../src/edge/contracts.js';
import { request, siteFixture, type SiteFixture } from './fixture.js';

describe('edge cluster (--workers 2)', () => {
  let fx: SiteFixture;
  let edge: RunningCluster;
  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '1h', browser: 0 } }] }, {}, { 'index.html': 'v1' });
    edge = await startEdgeCluster({ site: fx.site, storeConfig: { type: 'fs', dir: fx.store.dir }, storeLocation: fx.store.location, workers: 2 });
  }, 60_000);
  afterAll(async () => {
    await edge?.close();
    fx.cleanup();
  });

  it('an invalidation through the admin endpoint reaches every worker', async () => {
    // Fresh connections are spread over the workers; after a few, every worker has v1 cached.
    for (let i = 0; i < 8; i++) expect((await request(`${edge.url}/`)).body.toString()).toBe('v1');
    const hits = await Promise.all(Array.from({ length: 6 }, () => request(`${edge.url}/`)));
    expect(hits.every((r) => r.headers['x-cache'] === 'Hit from cloudfront')).toBe(true);
    await fx.put('index.html', 'v2');
    // Still cached everywhere: the edge TTL is an hour.
    expect((await request(`${edge.url}/`)).body.toString()).toBe('v1');

    const discovery = JSON.parse(fs.readFileSync(path.join(edgeStateDir(fx.dir), EDGE_DISCOVERY_FILE), 'utf8')) as EdgeDiscovery;
    const token = fs.readFileSync(discovery.tokenFile, 'utf8').trim();
    const answer = await fetch(`${discovery.adminUrl}/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paths: ['/index.html'] }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { invalidated: number }).invalidated).toBe(2);
    const after = await Promise.all(Array.from({ length: 8 }, () => request(`${edge.url}/`)));
    expect(after.map((r) => r.body.toString())).toEqual(Array(8).fill('v2'));
  });
});
