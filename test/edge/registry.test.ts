/**
 * Two local edges on one project: each has its own registration (port, pid, token), an
 * invalidation reaches both, the second stopping leaves the first reachable, and a registration
 * whose process is gone is removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateLocal } from '../../src/deploy/invalidate-local.js';
import { EDGE_DISCOVERY_FILE, EDGE_REGISTRY_DIR, edgeStateDir, type EdgeDiscovery } from '../../src/edge/contracts.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { request, siteFixture, type SiteFixture } from './fixture.js';

describe('local edge registrations', () => {
  let fx: SiteFixture;
  let first: RunningEdge;
  let second: RunningEdge;
  const registry = () => path.join(edgeStateDir(fx.dir), EDGE_REGISTRY_DIR);
  const registrations = () => fs.readdirSync(registry()).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(fs.readFileSync(path.join(registry(), n), 'utf8')) as EdgeDiscovery);
  const invalidate = (paths: string[]) => invalidateLocal(paths, { rootDir: fx.dir, storeLocation: fx.store.location, callerReference: `ref-${Date.now()}` });

  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '1h', browser: 0 } }] }, {}, { 'index.html': 'v1' });
    first = await startEdge({ site: fx.site, store: fx.store, port: 0 });
    second = await startEdge({ site: fx.site, store: fx.store, port: 0 });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    fx?.cleanup();
  });

  it('gives each edge its own registration and token file', () => {
    const regs = registrations();
    expect(regs.map((r) => r.adminUrl).sort()).toEqual([first.adminUrl, second.adminUrl].sort());
    expect(new Set(regs.map((r) => fs.readFileSync(r.tokenFile, 'utf8'))).size).toBe(2);
  });

  it('delivers an invalidation to every live edge', async () => {
    for (const e of [first, second]) expect((await request(`${e.url}/`)).body.toString()).toBe('v1');
    await fx.store.put('index.html', Buffer.from('v2'), { contentType: 'text/html' });
    const record = await invalidate(['/', '/index.html']);
    expect(record).toMatchObject({ delivered: true, edges: 2 });
    for (const e of [first, second]) expect((await request(`${e.url}/`)).body.toString()).toBe('v2');
  });

  it('keeps the first edge reachable after the second stops', async () => {
    await second.close();
    expect(registrations().map((r) => r.adminUrl)).toEqual([first.adminUrl]);
    expect((JSON.parse(fs.readFileSync(path.join(edgeStateDir(fx.dir), EDGE_DISCOVERY_FILE), 'utf8')) as EdgeDiscovery).adminUrl).toBe(first.adminUrl);
    await fx.store.put('index.html', Buffer.from('v3'), { contentType: 'text/html' });
    expect(await invalidate(['/', '/index.html'])).toMatchObject({ delivered: true, edges: 1 });
    expect((await request(`${first.url}/`)).body.toString()).toBe('v3');
  });

  it('removes the registration of an edge whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = path.join(registry(), `${gone}-1.json`);
    fs.writeFileSync(stale, JSON.stringify({ pid: gone, url: 'http://127.0.0.1:1', adminUrl: 'http://127.0.0.1:1', storeLocation: fx.store.location, tokenFile: path.join(registry(), `${gone}-1.token`) }));
    expect(await invalidate(['/'])).toMatchObject({ delivered: true, edges: 1 });
    expect(fs.existsSync(stale)).toBe(false);
  });
});
