/**
 * Two deploys to one target, through a proxy that adds 100 ms to every request (s3rver on
 * loopback): one runs, the other is refused naming it (or waits with --wait); never a bucket
 * holding a mix of two builds, or a manifest that does not describe the bucket.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite, type DeployProgress } from '../../src/deploy/deploy.js';
import { DEPLOY_LOCK_KEY } from '../../src/deploy/deploy-lock.js';
import { MANIFEST_KEY, readManifest, readManifestWithEtag, writeManifest } from '../../src/deploy/manifest.js';
import { EdgeshipError, EXIT } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs-store.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { generateNextSite, type NextSite } from '../helpers/next-site.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let s3: S3rverHandle;
let proxy: FaultProxy;
let root: string;
const SITE = { pages: 5, chunks: 6, images: 3, chunkBytes: 300, imageBytes: 400 };
const LOCK = { settleMs: 250, pollMs: 50 };

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  proxy = await startFaultProxy({ target: s3.endpoint, seed: 3 });
  proxy.inject({ fault: { type: 'latency', ms: 100 } });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-lock-'));
});
afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** Builds A (rev 0) and B (rev 1: changed files, new chunk names, two pages gone) deploying to one fresh prefix. */
function twoBuilds(): { prefix: string; a: { model: SiteModel; site: NextSite }; b: { model: SiteModel; site: NextSite } } {
  const prefix = `lock${++n}/`;
  const build = (name: string, rev: number) => {
    const dir = path.join(root, `${prefix}${name}`);
    const site = generateNextSite(path.join(dir, 'out'), { ...SITE, rev, changed: 0.5, removedPages: 2 });
    const model = resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS, targets: { s3: { store: { type: 's3', bucket: 'site', prefix, endpoint: proxy.endpoint, forcePathStyle: true } } } }, dir);
    return { model, site };
  };
  return { prefix, a: build('a', 0), b: build('b', 1) };
}

/** A promise resolved when the deploy holds the lock (it reads the store only then). */
function holding() {
  let resolve!: () => void;
  const held = new Promise<void>((r) => (resolve = r));
  return { held, onProgress: (p: DeployProgress) => p.step === 'read' && p.done === 0 && resolve() };
}

async function bucket(prefix: string) {
  const store = new S3Store({ bucket: 'site', endpoint: s3.endpoint, forcePathStyle: true, prefix });
  try {
    const objects = new Map<string, string>();
    for await (const o of store.list()) objects.set(o.key, o.etag);
    return { objects, manifest: await readManifest(store) };
  } finally {
    store.destroy();
  }
}

/** The bucket holds exactly this build (and the manifest, and `retained` old chunks), and the manifest describes each object's bytes. */
async function expectExactly(prefix: string, site: NextSite, retained: string[] = []) {
  const { objects, manifest } = await bucket(prefix);
  expect([...objects.keys()].filter((k) => !k.startsWith('.edgeship/')).sort()).toEqual([...site.files.keys(), ...retained].sort());
  expect(objects.has(DEPLOY_LOCK_KEY)).toBe(false);
  for (const [key, md5] of site.digests) {
    expect(objects.get(key), key).toBe(md5);
    expect(manifest.entries[key]?.etag, key).toBe(md5);
  }
}

async function refusal(run: Promise<unknown>): Promise<EdgeshipError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EdgeshipError);
  return error as EdgeshipError;
}

afterEach(() => proxy.resetStats());

describe('one deploy at a time per target', () => {
  it.each([
    ['A first, B second', 'a', 'b'],
    ['B first, A second', 'b', 'a'],
  ] as const)('%s: the second exits 1 naming the running one and when it started; the store holds the first build alone', async (_label, first, second) => {
    const builds = twoBuilds();
    const gate = holding();
    const running = deploySite(builds[first].model, { target: 's3', onProgress: gate.onProgress, lock: { ...LOCK, owner: `deploy-${first}` } });
    await gate.held;
    const e = await refusal(deploySite(builds[second].model, { target: 's3', lock: { ...LOCK, owner: `deploy-${second}` } }));
    expect(e.code).toBe('STORE_LOCKED');
    expect(e.exitCode).toBe(EXIT.failed);
    expect(e.message).toMatch(new RegExp(`another deploy is running: deploy-${first}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z`));
    const report = await running;
    expect(report.warnings.map((w) => w.code)).toContain('LOCK_CHECKED'); // s3rver ignores conditional writes
    await expectExactly(builds.prefix, builds[first].site);
  }, 60_000);

  it('with --wait, the second waits, then deploys over the first: the store holds the second build alone', async () => {
    const builds = twoBuilds();
    const gate = holding();
    const waited: string[] = [];
    const running = deploySite(builds.a.model, { target: 's3', onProgress: gate.onProgress, lock: { ...LOCK, owner: 'deploy-a' } });
    await gate.held;
    const waiting = deploySite(builds.b.model, { target: 's3', wait: true, lock: { ...LOCK, owner: 'deploy-b', onWait: (h) => waited.push(h.owner) } });
    const [ra, rb] = await Promise.all([running, waiting]);
    expect(waited[0]).toBe('deploy-a');
    expect([ra.deployId, rb.deployId]).toEqual([1, 2]);
    const retained = rb.actions.filter((a) => a.action === 'retain').map((a) => a.key);
    expect(retained.every((k) => k.startsWith('_next/static/chunks/') && !builds.b.site.files.has(k))).toBe(true);
    await expectExactly(builds.prefix, builds.b.site, retained);
  }, 60_000);

  it('never overwrites a manifest written since it was read (If-Match on the manifest write)', async () => {
    const store = new FsStore(path.join(root, 'manifest-store'), { fsync: false });
    const { manifest, etag } = await readManifestWithEtag(store);
    expect(etag).toBeUndefined();
    await writeManifest(store, { ...manifest, deploys: [{ id: 1, at: '2026-03-01T00:00:00.000Z' }] }, null);
    await expect(writeManifest(store, { ...manifest, deploys: [{ id: 1, at: '2026-03-02T00:00:00.000Z' }] }, null)).rejects.toMatchObject({ code: 'DEPLOY_MANIFEST_CHANGED', exitCode: EXIT.failed });
    const read = await readManifestWithEtag(store);
    await writeManifest(store, { ...read.manifest, deploys: [...read.manifest.deploys, { id: 2, at: '2026-03-03T00:00:00.000Z' }] }, read.etag!);
    await expect(writeManifest(store, read.manifest, read.etag!)).rejects.toMatchObject({ code: 'DEPLOY_MANIFEST_CHANGED' });
    expect((await readManifest(store)).deploys.map((d) => d.id)).toEqual([1, 2]);
    expect(await store.head(MANIFEST_KEY)).toBeDefined();
  });
});
