import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex } from '../../src/store/etag.js';
import { S3Store } from '../../src/store/s3-store.js';
import { openStore } from '../../src/store/open.js';
import { verifyPuts } from '../../src/store/verify-puts.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { runStoreContract } from './contract.js';

const MiB = 1024 * 1024;
let s3: S3rverHandle;
const stores: S3Store[] = [];
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  for (const store of stores) store.destroy();
  await s3?.stop();
});

let n = 0;
/** A store scoped to a fresh prefix of the shared bucket: empty, isolated from other tests. */
function freshStore(extra: Partial<ConstructorParameters<typeof S3Store>[0]> = {}): S3Store {
  const store = new S3Store({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    prefix: `t${++n}/`,
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  });
  stores.push(store);
  return store;
}

runStoreContract(
  's3 (s3rver)',
  async (options) => ({ store: options?.bulk === true ? freshStore() : verifyPuts(freshStore()), multipartThreshold: 5 * MiB, partSize: 5 * MiB }),
  { normalizesKeyPaths: true },
);

describe('S3Store', () => {
  it('finds that s3rver ignores If-None-Match and If-Match on PUT, and checks the conditions itself', async () => {
    const store = freshStore();
    expect(await store.conditionalWrites()).toBe('checked');
  });

  it('scopes every key under its prefix', async () => {
    const a = freshStore();
    const whole = freshStore({ prefix: '' });
    await a.put('x/y.txt', Buffer.from('scoped'));
    const listed: string[] = [];
    for await (const o of whole.list(a.prefix)) listed.push(o.key);
    expect(listed).toEqual([`${a.prefix}x/y.txt`]);
    expect((await whole.head(`${a.prefix}x/y.txt`))?.size).toBe(6);
  });

  it('names a missing bucket with STORE_NO_BUCKET', async () => {
    const store = freshStore({ bucket: 'no-such-bucket-here' });
    const missing = { code: 'STORE_NO_BUCKET', message: expect.stringContaining('no-such-bucket-here') };
    expect(await store.head('x').catch((e: unknown) => e)).toMatchObject(missing);
    expect(await store.get('x').catch((e: unknown) => e)).toMatchObject(missing);
    expect(await store.put('x', Buffer.from('x')).catch((e: unknown) => e)).toMatchObject(missing);
    const listing = (async () => {
      for await (const o of store.list()) void o;
    })();
    expect(await listing.catch((e: unknown) => e)).toMatchObject(missing);
  });

  // s3rver checks access key ids but not SigV4 signatures, so the key id is what is wrong here.
  it('reports unknown credentials as STORE_ACCESS_DENIED', async () => {
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'UNKNOWNKEY';
    try {
      const store = freshStore();
      await expect(store.put('x', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_ACCESS_DENIED', message: expect.stringContaining(s3.bucket) });
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved;
    }
  });

  // A body altered on the way is still caught by the answered ETag (s3-faults.test.ts, appendBody).
  it('sends a put that carries Content-MD5 with an unsigned payload', async () => {
    const store = freshStore();
    const sent: Record<string, string>[] = [];
    store.client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'testRecordHeaders' },
    );
    const body = Buffer.from('checked by MD5');
    await store.put('signed.txt', body, { md5: md5Hex(body) });
    await store.put('plain.txt', body);
    const signed = sent.filter((h) => h.authorization !== undefined && h['content-length'] === String(body.length));
    // A buffered body always gets its Content-MD5 (computed when not given).
    expect(signed.map((h) => [h['content-md5'], h['x-amz-content-sha256']])).toEqual([
      [Buffer.from(md5Hex(body), 'hex').toString('base64'), 'UNSIGNED-PAYLOAD'],
      [Buffer.from(md5Hex(body), 'hex').toString('base64'), 'UNSIGNED-PAYLOAD'],
    ]);
    expect((await store.head('plain.txt'))?.etag).toBe(md5Hex(body));
  });

  it('treats a prefix without its final slash as a folder', () => {
    expect(new S3Store({ bucket: 'b', prefix: 'www' }).location).toBe('s3://b/www/');
    expect(new S3Store({ bucket: 'b', prefix: 'www/' }).prefix).toBe('www/');
    expect(new S3Store({ bucket: 'b' }).location).toBe('s3://b/');
  });

  it('refuses a prefix with a leading slash and a part size under 5 MiB', () => {
    expect(() => new S3Store({ bucket: 'b', prefix: '/x/' })).toThrow(expect.objectContaining({ code: 'STORE_KEY_INVALID' }));
    expect(() => new S3Store({ bucket: 'b', partSize: MiB })).toThrow(/5 MiB/);
    // Bad input (exit 2), not a failed request: nothing was sent.
    expect(() => new S3Store({ bucket: 'b', partSize: MiB })).toThrow(expect.objectContaining({ code: 'STORE_BAD_OPTION', exitCode: 2 }));
  });
});

describe('openStore (s3)', () => {
  it('opens an s3 store from a target store config', async () => {
    const store = openStore({ type: 's3', bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, prefix: 'opened/' });
    expect(store.location).toBe(`s3://${s3.bucket}/opened/`);
    await store.put('k', Buffer.from('v'));
    expect((await store.head('k'))?.size).toBe(1);
    (store as S3Store).destroy();
  });
});
