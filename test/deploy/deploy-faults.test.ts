import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { MANIFEST_KEY } from '../../src/deploy/manifest.js';
import { EXIT } from '../../src/errors.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';
import { s3rverKeys } from './observer.js';

/** Deploys through the fault-injecting proxy in front of s3rver: retried faults are survived, lasting ones stop the deploy with a clear error, and a re-run converges. */
let s3: S3rverHandle;
let proxy: FaultProxy;
let root: string;
const SITE = { pages: 6, chunks: 8, images: 4, chunkBytes: 500, imageBytes: 700 };

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  proxy = await startFaultProxy({ target: s3.endpoint, seed: 11 });
});
afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});
afterEach(() => {
  proxy.clear();
  proxy.resetStats();
  fs.rmSync(root, { recursive: true, force: true });
});

function freshSite(bucketPrefix: string) {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-faults-'));
  const site = generateNextSite(path.join(root, 'out'), SITE);
  const model = resolveConfig(
    { site: 'out', behaviors: NEXT_BEHAVIORS, targets: { s3: { store: { type: 's3', bucket: 'site', prefix: bucketPrefix, endpoint: proxy.endpoint, forcePathStyle: true } } } },
    root,
  );
  return { site, model };
}
const liveKeys = (prefix: string) => [...s3rverKeys(s3.dir, 'site').keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();

describe('deploy through faults (500, 503 SlowDown, reset connections, latency)', () => {
  it('completes through retries when a share of requests fail, and the result is exact', async () => {
    const { site, model } = freshSite('retries/');
    proxy.inject({ probability: 0.15, fault: { type: 'status', status: 500 } });
    proxy.inject({ probability: 0.1, fault: { type: 'slowDown' } });
    proxy.inject({ method: 'PUT', probability: 0.1, fault: { type: 'reset' } });
    proxy.inject({ probability: 0.3, fault: { type: 'latency', ms: 20 } });
    const report = await deploySite(model, { target: 's3' });
    expect(proxy.stats.faults.status + proxy.stats.faults.slowDown + proxy.stats.faults.reset).toBeGreaterThan(3);
    expect(report.totals.upload).toBe(site.files.size);
    expect(liveKeys('retries/')).toEqual([...site.files.keys(), MANIFEST_KEY].sort());
    proxy.clear();
    const again = await deploySite(model, { target: 's3' });
    expect(again.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0, skip: site.files.size });
  });

  it('stops with an error naming the key when a put keeps failing, deletes nothing, and a re-run converges', async () => {
    const { site, model } = freshSite('lasting/');
    await deploySite(model, { target: 's3' });
    // A rebuild with a removed page, while the server keeps failing one upload.
    generateNextSite(path.join(root, 'out'), { ...SITE, rev: 1, changed: 0.5, removedPages: 1 });
    proxy.inject({ method: 'PUT', path: /\/site\/lasting\/page-2\/index\.html/, fault: { type: 'status', status: 500 } });
    const failed = deploySite(model, { target: 's3' });
    await expect(failed).rejects.toMatchObject({ exitCode: EXIT.failed, message: expect.stringMatching(/page-2\/index\.html/) });
    // Stopped before the manifest, the invalidation and the deletes: the removed page is still served.
    expect(liveKeys('lasting/')).toContain('index.html');
    proxy.clear();
    const rerun = await deploySite(model, { target: 's3' });
    expect(rerun.totals.delete).toBe(1);
    expect(liveKeys('lasting/')).not.toContain('index.html');
    const last = await deploySite(model, { target: 's3' });
    expect(last.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0 });
    expect(site.files.size).toBeGreaterThan(0);
  });
});
