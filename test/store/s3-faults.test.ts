/**
 * The S3 store against a fault-injecting proxy in front of s3rver: throttling, 5xx, connection
 * resets, latency and a corrupting middlebox. Every test asserts the outcome and what the proxy
 * did, never how long it took.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex } from '../../src/store/etag.js';
import { S3Store, type S3StoreOptions } from '../../src/store/s3-store.js';
import type { ObjectStore } from '../../src/store/types.js';
import { verifyPuts } from '../../src/store/verify-puts.js';
import { mapLimit } from '../../src/store/concurrency.js';
import { startFaultProxy, seededRandom, type FaultProxy } from '../helpers/fault-proxy.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { listAll, readAll } from './contract.js';

const MiB = 1024 * 1024;
let s3: S3rverHandle;
let proxy: FaultProxy;
const stores: S3Store[] = [];

beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await startFaultProxy({ target: s3.endpoint, seed: 42 });
});
afterEach(() => {
  proxy.clear();
  proxy.resetStats();
});
afterAll(async () => {
  for (const store of stores) store.destroy();
  await proxy?.stop();
  await s3?.stop();
});

let n = 0;
/**
 * A store through the proxy whose bucket check already ran (so counts cover the operation only),
 * its puts read back unless `verifyPuts` is false.
 */
async function storeThroughProxy({ verifyPuts: verify = true, ...extra }: Partial<S3StoreOptions> & { verifyPuts?: boolean } = {}): Promise<ObjectStore & { prefix: string }> {
  const raw = new S3Store({
    bucket: s3.bucket,
    endpoint: proxy.endpoint,
    forcePathStyle: true,
    prefix: `f${++n}/`,
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    sdkMaxAttempts: 2,
    ...extra,
  });
  stores.push(raw);
  const store = verify ? { ...verifyPuts(raw), prefix: raw.prefix } : raw;
  expect(await store.head('warm-up')).toBeUndefined();
  proxy.resetStats();
  return store;
}

describe('S3Store through faults', () => {
  it('completes a put through 500 InternalError and 429 answers', async () => {
    const store = await storeThroughProxy();
    proxy.inject({ method: 'PUT', times: 2, fault: { type: 'status', status: 500 } });
    proxy.inject({ method: 'PUT', times: 1, fault: { type: 'status', status: 429, code: 'TooManyRequests', message: 'Too many requests' } });
    const bytes = Buffer.from('survives 500s');
    expect((await store.put('a.txt', bytes)).etag).toBe(md5Hex(bytes));
    expect(proxy.stats.faults.status).toBe(3);
    expect(await readAll((await store.get('a.txt'))!.body)).toEqual(bytes);
  });

  it('completes head, get, list and deleteMany through 503 SlowDown', async () => {
    const store = await storeThroughProxy();
    await store.put('b.txt', Buffer.from('b'));
    proxy.resetStats();
    proxy.inject({ method: 'HEAD', times: 1, fault: { type: 'slowDown' } });
    proxy.inject({ method: 'GET', path: /b\.txt\?x-id=GetObject/, times: 1, fault: { type: 'slowDown' } });
    proxy.inject({ method: 'GET', path: /list-type=2/, times: 1, fault: { type: 'slowDown' } });
    proxy.inject({ method: 'POST', path: /\?delete/, times: 1, fault: { type: 'slowDown' } });
    expect((await store.head('b.txt'))?.size).toBe(1);
    expect((await readAll((await store.get('b.txt'))!.body)).toString()).toBe('b');
    expect((await listAll(store)).map((o) => o.key)).toEqual(['b.txt']);
    expect(await store.deleteMany(['b.txt'])).toEqual({ deleted: ['b.txt'], errors: [] });
    expect(proxy.stats.faults.slowDown).toBe(4);
    expect(proxy.stats.requests).toBe(8);
  });

  it('re-sends a stream body from a fresh stream after connection resets', async () => {
    const store = await storeThroughProxy();
    proxy.inject({ method: 'PUT', times: 2, fault: { type: 'reset' } });
    const bytes = Buffer.alloc(300_000, 'r');
    let streams = 0;
    const factory = () => {
      streams++;
      return Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]);
    };
    expect((await store.put('stream.bin', factory, { size: bytes.length })).etag).toBe(md5Hex(bytes));
    expect(proxy.stats.faults.reset).toBe(2);
    expect(streams).toBe(3);
  });

  it('completes a multipart upload when parts hit resets and 503s', async () => {
    const store = await storeThroughProxy();
    proxy.inject({ method: 'PUT', path: /partNumber=2/, times: 1, fault: { type: 'reset' } });
    proxy.inject({ method: 'PUT', path: /partNumber=1/, times: 1, fault: { type: 'slowDown' } });
    const bytes = Buffer.alloc(11 * MiB, 7);
    const put = await store.put('big.bin', () => Readable.from([bytes]), { size: bytes.length });
    expect(proxy.stats.faults.reset + proxy.stats.faults.slowDown).toBe(2);
    expect((await store.head('big.bin'))?.etag).toBe(put.etag);
  });

  it('retries a request that outlives requestTimeoutMs', async () => {
    const store = await storeThroughProxy({ requestTimeoutMs: 300, sdkMaxAttempts: 1 });
    await store.put('slow.txt', Buffer.from('slow'));
    proxy.resetStats();
    proxy.inject({ method: 'GET', times: 1, fault: { type: 'latency', ms: 1500 } });
    expect((await readAll((await store.get('slow.txt'))!.body)).toString()).toBe('slow');
    expect(proxy.stats.faults.latency).toBe(1);
    expect(proxy.stats.requests).toBe(2);
  });

  it('survives random faults on a quarter of all requests (seeded)', async () => {
    // One SDK attempt: the operation retry handles every fault, with short test backoffs
    // instead of the SDK's 500 ms throttling base.
    const store = await storeThroughProxy({ retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 20 }, sdkMaxAttempts: 1 });
    proxy.inject({ probability: 0.12, fault: { type: 'status', status: 500 } });
    proxy.inject({ probability: 0.08, fault: { type: 'slowDown' } });
    proxy.inject({ probability: 0.05, fault: { type: 'reset' } });
    const keys = Array.from({ length: 40 }, (_, i) => `r/${i}.txt`);
    await mapLimit(keys, 8, (key) => store.put(key, Buffer.from(key)));
    expect((await listAll(store, 'r/')).length).toBe(40);
    const del = await store.deleteMany(keys);
    expect(del.errors).toEqual([]);
    const faults = proxy.stats.faults;
    expect(faults.status + faults.slowDown + faults.reset).toBeGreaterThan(5);
  });

  it('stops with STORE_UNAVAILABLE naming the key and endpoint under a persistent fault', async () => {
    const store = await storeThroughProxy({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, sdkMaxAttempts: 1 });
    proxy.inject({ fault: { type: 'slowDown' } });
    const err = await store.put('never.txt', Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((err as Error).message).toContain('"never.txt"');
    expect((err as Error).message).toContain(proxy.endpoint);
    expect((err as Error).message).toContain('after 3 attempts');
    // 3 operation attempts (1 SDK attempt each), then it gave up.
    expect(proxy.stats.requests).toBe(3);
    await expect(listAll(store)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('stops with STORE_UNAVAILABLE when nothing listens at the endpoint (connection refused)', async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    const store = new S3Store({ bucket: s3.bucket, endpoint: 'http://127.0.0.1:1', forcePathStyle: true, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, sdkMaxAttempts: 1 });
    stores.push(store);
    const err = await store.head('x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('http://127.0.0.1:1') });
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('reports every key of a batch whose delete kept failing, none dropped', async () => {
    const store = await storeThroughProxy({ retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, sdkMaxAttempts: 1 });
    proxy.inject({ method: 'POST', fault: { type: 'status', status: 500 } });
    const keys = ['x/1', 'x/2', 'x/3'];
    const res = await store.deleteMany(keys);
    expect(res.deleted).toEqual([]);
    expect(res.errors.map((e) => e.key).sort()).toEqual(keys);
    expect(res.errors.every((e) => e.code === 'STORE_UNAVAILABLE')).toBe(true);
  });

  it('reports the per-key errors of a DeleteObjects answer beside the deleted keys', async () => {
    const store = await storeThroughProxy();
    const xml = `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Error><Key>${store.prefix}x/2</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>`;
    proxy.inject({ method: 'POST', path: /\?delete/, times: 1, fault: { type: 'respond', status: 200, body: xml } });
    const res = await store.deleteMany(['x/1', 'x/2', 'x/3']);
    expect(res.deleted).toEqual(['x/1', 'x/3']);
    expect(res.errors).toEqual([{ key: 'x/2', code: 'AccessDenied', message: expect.stringContaining('"x/2": Access Denied') }]);
  });

  it('detects a corrupted upload (bytes added on the way) as STORE_CORRUPT_WRITE naming the key', async () => {
    const store = await storeThroughProxy();
    proxy.inject({ method: 'PUT', times: 1, fault: { type: 'appendBody', bytes: Buffer.from('\r\n0;chunk-signature=x\r\n') } });
    const err = await store.put('framed.js', Buffer.alloc(12_000, 'j')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_CORRUPT_WRITE' });
    expect((err as Error).message).toContain('"framed.js"');
  });

  // s3rver deletes the keys of one DeleteObjects request in parallel and removes emptied
  // folders as it goes; two keys emptying the same folder race and the batch answers 500.
  it('absorbs s3rver\'s spurious 500s when deleting many keys in sibling folders', async () => {
    // Seen: one upstream 500 in each of two runs (proxy.stats.upstream), absorbed by the retry.
    const store = await storeThroughProxy({ retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 20 }, verifyPuts: false });
    const keys = Array.from({ length: 150 }, (_, i) => `race/${i}/f.txt`);
    await mapLimit(keys, 8, (key) => store.put(key, Buffer.from(key)));
    const res = await store.deleteMany(keys);
    expect(res.errors).toEqual([]);
    expect(res.deleted.length).toBe(150);
    expect(await listAll(store, 'race/')).toEqual([]);
  });

  it('works with credentials that may not HEAD the bucket (403 on HeadBucket)', async () => {
    const bucketPath = `/${s3.bucket}`;
    proxy.inject({ method: 'HEAD', path: new RegExp(`^${bucketPath}/?$`), fault: { type: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied' } });
    const store = new S3Store({ bucket: s3.bucket, endpoint: proxy.endpoint, forcePathStyle: true, prefix: `f${++n}/` });
    stores.push(store);
    await store.put('ok.txt', Buffer.from('ok'));
    expect((await store.head('ok.txt'))?.size).toBe(2);
    // The bucket is checked only when an object is missing; a 403 there still means "missing object".
    expect(await store.head('missing.txt')).toBeUndefined();
    expect(proxy.stats.faults.status).toBe(1);
  });

  it('with verifyPuts false, still catches corruption through the answered ETag', async () => {
    const store = await storeThroughProxy({ verifyPuts: false });
    proxy.inject({ method: 'PUT', times: 1, fault: { type: 'appendBody', bytes: Buffer.from('junk') } });
    await expect(store.put('a.js', Buffer.alloc(1000, 'a'))).rejects.toMatchObject({ code: 'STORE_CORRUPT_WRITE' });
    expect(proxy.stats.requests).toBe(1);
  });

  it('with verifyPuts false, reads back a put answered without an ETag', async () => {
    const store = await storeThroughProxy({ verifyPuts: false });
    proxy.inject({ method: 'PUT', times: 1, fault: { type: 'appendBody', bytes: Buffer.from('junk'), dropResponseHeaders: ['ETag'] } });
    const err = await store.put('b.js', Buffer.alloc(1000, 'b')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_CORRUPT_WRITE', message: expect.stringContaining('1004 bytes are stored') });
    expect(proxy.stats.log.map((l) => l.split(' ')[0])).toEqual(['PUT', 'HEAD']);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const store = await storeThroughProxy({ concurrency: 3 });
    proxy.inject({ fault: { type: 'latency', ms: 20 } });
    await mapLimit(Array.from({ length: 24 }, (_, i) => `c/${i}`), 24, (key) => store.put(key, Buffer.from(key)));
    expect(proxy.stats.requests).toBe(48);
    expect(proxy.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(proxy.stats.maxInFlight).toBeGreaterThan(1);
  });
});

describe('fault proxy', () => {
  it('replays the same fault pattern for the same seed', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const draws = Array.from({ length: 50 }, () => a());
    expect(draws).toEqual(Array.from({ length: 50 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

// The contract's literal-key case is skipped for s3rver, which normalizes paths on its side. What
// the S3 store itself must do is send the key as it is: real S3 keeps `a//b` and `a/./b` distinct.
describe('S3Store sends literal keys as they are', () => {
  it.each(['a//b', 'a/./b', 'a/../b', 'dots/../in/../middle'])('%s goes on the wire unnormalized', async (key) => {
    const store = await storeThroughProxy();
    // s3rver's own router answers 404 to a path with `//`: what is checked is the request sent.
    await store.put(key, Buffer.from(key)).catch(() => undefined);
    await store.head(key).catch(() => undefined);
    const sent = proxy.stats.log.filter((l) => l.startsWith('PUT ') || l.startsWith('HEAD ')).map((l) => l.split(' ')[1]!.split('?')[0]);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const url of sent) expect(url).toBe(`/${s3.bucket}/f${n}/${key.split('/').map(encodeURIComponent).join('/')}`);
  });
});
