/**
 * A store that stalls (requests that are never answered, through a proxy on 127.0.0.1 in
 * front of s3rver): each request is abandoned after a timeout that fits it and retried, a
 * deploy says how many requests wait on the store, and `serve` listens regardless.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runServe } from '../../src/cli/serve.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { generateNextSite } from '../helpers/next-site.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let s3: S3rverHandle;
let proxy: FaultProxy;
let root: string;
const stores: S3Store[] = [];
const SITE = { pages: 6, chunks: 8, images: 4, chunkBytes: 500, imageBytes: 700 };

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  proxy = await startFaultProxy({ target: s3.endpoint, seed: 5 });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-stall-'));
});
afterEach(() => {
  proxy.clear();
  proxy.resetStats();
});
afterAll(async () => {
  for (const s of stores) s.destroy();
  await proxy?.stop();
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function setup(prefix: string, storeOptions: Partial<ConstructorParameters<typeof S3Store>[0]>) {
  const dir = path.join(root, prefix);
  const site = generateNextSite(path.join(dir, 'out'), SITE);
  const target = { type: 's3' as const, bucket: 'site', prefix: `${prefix}/`, endpoint: proxy.endpoint, forcePathStyle: true };
  const model = resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS, targets: { s3: { store: target } } }, dir);
  const store = new S3Store({ ...target, retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 20 }, ...storeOptions });
  stores.push(store);
  return { site, model, store };
}

describe('a stalling store', () => {
  it('gives a small request seconds and a put time for its bytes, not minutes', () => {
    const store = new S3Store({ bucket: 'b', endpoint: 'http://127.0.0.1:9', forcePathStyle: true });
    stores.push(store);
    expect(store.requestTimeoutFor(0)).toBe(10_000);
    expect(store.requestTimeoutFor(8 * 1024 * 1024)).toBe(42_000); // an 8 MiB part at 256 KiB/s
  });

  it('deploys through 20 % of requests stalled: each is abandoned after its timeout and retried', async () => {
    const { site, model, store } = setup('twenty', { requestTimeoutMs: 400, sdkMaxAttempts: 1 });
    proxy.inject({ probability: 0.2, fault: { type: 'stall' } });
    const report = await deploySite(model, { target: 's3', store, lock: { settleMs: 50 } });
    expect(proxy.stats.faults.stall).toBeGreaterThan(3);
    expect(report.totals.upload).toBe(site.files.size);
    proxy.clear();
    const again = await deploySite(model, { target: 's3', store, lock: { settleMs: 50 } });
    expect(again.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0 });
  }, 60_000);

  it('says how many requests wait on the store while they do', async () => {
    const { model, store } = setup('visible', { requestTimeoutMs: 3_000, sdkMaxAttempts: 1 });
    proxy.inject({ method: 'GET', times: 1, fault: { type: 'stall' } });
    const seen: { requests: number; oldestMs: number }[] = [];
    await deploySite(model, { target: 's3', store, lock: { settleMs: 50 }, onWaiting: (w) => seen.push(w) });
    expect(proxy.stats.faults.stall).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.requests).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.oldestMs).toBeGreaterThanOrEqual(2_000);
  }, 60_000);

  it('serve listens while every request to the store stalls', async () => {
    const dir = path.join(root, 'serve');
    fs.mkdirSync(dir, { recursive: true });
    const site = resolveConfig({ site: 'out', targets: { s3: { store: { type: 's3', bucket: 'site', endpoint: proxy.endpoint, forcePathStyle: true } } } }, dir);
    proxy.inject({ fault: { type: 'stall' } });
    const io = memoryIo(dir);
    let stop = () => undefined as void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = runServe(site, { target: 's3', port: '0' }, io, until);
    // Bounded: the banner comes once the port listens (before, serve waited for the listing).
    for (let i = 0; i < 500 && !/viewer\s+http/.test(io.stdout); i++) await new Promise((r) => setTimeout(r, 20));
    expect(io.stdout).toMatch(/viewer\s+http:\/\/127\.0\.0\.1:\d+/);
    for (let i = 0; i < 500 && proxy.stats.faults.stall === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(proxy.stats.faults.stall).toBeGreaterThanOrEqual(1); // the listing went out, and hangs
    expect(io.stderr).not.toMatch(/holds no objects/);
    stop();
    expect(await running).toBe(0);
  }, 30_000);
});
