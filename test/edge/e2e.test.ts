/**
 * End to end over real HTTP on loopback: deploy -> serve -> request -> redeploy (which reaches
 * the running edge through its admin endpoint) -> invalidate with the CLI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/load.js';
import { nextjsExport } from '../../src/config/presets/index.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { openStore } from '../../src/store/open.js';
import { request, textOf } from './fixture.js';

describe('deploy -> serve -> request -> redeploy -> invalidate', () => {
  let dir: string;
  let site: SiteModel;
  let edge: RunningEdge;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-e2e-'));
    const config = nextjsExport({ domain: 'example.com' });
    write('edgeship.config.json', JSON.stringify(config, null, 2));
    write('edge/url-handler.js', presetFiles('nextjs-export', 'example.com')['edge/url-handler.js']!);
    write('out/index.html', textOf(5000, '<h1>home v1</h1>'));
    write('out/about.html', textOf(3000, '<h1>about v1</h1>'));
    write('out/404.html', '<h1>not found</h1>');
    write('out/_next/static/chunks/main.0a1b2c3d.js', textOf(2000, 'console.log(1);'));
    site = await loadConfig({ cwd: dir });
    await deploySite(site);
    edge = await startEdge({ site, store: openStore(site.targets.local!.store) });
  });
  afterAll(async () => {
    await edge?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves what deploy stored, with the headers a CloudFront viewer would get', async () => {
    const miss = await request(`${edge.url}/about`);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('Miss from cloudfront');
    expect(miss.body.toString()).toBe(textOf(3000, '<h1>about v1</h1>'));
    expect(miss.headers['cache-control']).toBe('public, max-age=0, s-maxage=300, must-revalidate');
    expect(miss.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    const hit = await request(`${edge.url}/about`, { method: 'HEAD' });
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
    expect(hit.headers.age).toBeDefined();
    const r304 = await request(`${edge.url}/about`, { headers: { 'if-none-match': miss.headers.etag! } });
    expect(r304.status).toBe(304);
    const r206 = await request(`${edge.url}/about`, { headers: { range: 'bytes=0-9' } });
    expect(r206.status).toBe(206);
    expect(r206.body.toString()).toBe(textOf(3000, '<h1>about v1</h1>').slice(0, 10));
    const br = await request(`${edge.url}/`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(textOf(5000, '<h1>home v1</h1>'));
    const chunk = await request(`${edge.url}/_next/static/chunks/main.0a1b2c3d.js`);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(`${edge.url}/missing`)).status).toBe(404);
  });

  it('a redeploy invalidates the changed page at the running edge', async () => {
    write('out/about.html', textOf(3000, '<h1>about v2</h1>'));
    const report = await deploySite(site);
    expect(report.invalidation.via).toBe('local-edge');
    expect(report.invalidation.paths).toContain('/about');
    const after = await request(`${edge.url}/about`);
    expect(after.headers['x-cache']).toBe('Miss from cloudfront');
    expect(after.body.toString()).toBe(textOf(3000, '<h1>about v2</h1>'));
  });

  it('edgeship invalidate reaches the edge; the page is fetched again', async () => {
    await request(`${edge.url}/`);
    expect((await request(`${edge.url}/`)).headers['x-cache']).toBe('Hit from cloudfront');
    const io = memoryIo(dir);
    expect(await runCli(['invalidate', '/index.html', '/'], io)).toBe(0);
    expect(io.stdout).toMatch(/sent to the local edge/);
    expect((await request(`${edge.url}/`)).headers['x-cache']).toBe('Miss from cloudfront');
  });
});
