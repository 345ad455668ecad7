/**
 * The local KeyValueStore data the deploy writes for the local edge, on both stores: updates
 * keep other keys, two writers at once lose nothing, limits and corrupt data are clear errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KVS_KEYS } from '../../src/kvs/keys.js';
import { LOCAL_KVS_KEY, LocalKvs } from '../../src/kvs/local-kvs.js';
import { replacePrefix } from '../../src/kvs/site-kvs.js';
import { FsStore } from '../../src/store/fs-store.js';
import { S3Store } from '../../src/store/s3-store.js';
import type { ObjectStore } from '../../src/store/types.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';

let root: string;
let s3: S3rverHandle;
const s3Stores: S3Store[] = [];
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'edgeship-local-kvs-'));
  s3 = await startS3rver();
});
afterAll(async () => {
  for (const store of s3Stores) store.destroy();
  await s3?.stop();
  await rm(root, { recursive: true, force: true });
});

let n = 0;
const stores: [string, () => ObjectStore][] = [
  ['fs', () => new FsStore(path.join(root, `s${++n}`), { fsync: false })],
  [
    's3 (s3rver)',
    () => {
      const store = new S3Store({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, prefix: `k${++n}/` });
      s3Stores.push(store);
      return store;
    },
  ],
];

describe.each(stores)('LocalKvs on %s', (_name, fresh) => {
  it('reads an empty store as no keys, then what was written, in one object under the reserved prefix', async () => {
    const store = fresh();
    const kvs = new LocalKvs(store);
    expect(await kvs.read()).toEqual({});
    expect(await kvs.update({ put: { [KVS_KEYS.live]: 'd1', user: 'u' } })).toEqual({ put: 2, deleted: 0, unchanged: 0, conflicts: 0 });
    expect(await kvs.read()).toEqual({ 'es:live': 'd1', user: 'u' });
    expect((await store.head(LOCAL_KVS_KEY))?.cacheControl).toBe('no-store');
  });

  it('changes only what the update names; an unchanged key is not written again', async () => {
    const kvs = new LocalKvs(fresh());
    await kvs.update({ put: { a: '1', b: '2' } });
    expect(await kvs.update({ put: { a: '1', c: '3' }, delete: ['b', 'missing'] })).toEqual({ put: 1, deleted: 1, unchanged: 1, conflicts: 0 });
    expect(await kvs.read()).toEqual({ a: '1', c: '3' });
  });

  it('replaces one prefix and leaves the others', async () => {
    const kvs = new LocalKvs(fresh());
    await kvs.update({ put: { [`${KVS_KEYS.redirect}/old`]: '/new', [`${KVS_KEYS.redirect}/gone`]: '/x', [KVS_KEYS.live]: 'd1' } });
    await kvs.update(replacePrefix(KVS_KEYS.redirect, { [`${KVS_KEYS.redirect}/old`]: '/newer' }));
    expect(await kvs.read()).toEqual({ 'es:r:/old': '/newer', 'es:live': 'd1' });
  });

  it('refuses a value CloudFront would refuse, naming the key, and writes nothing', async () => {
    const kvs = new LocalKvs(fresh());
    await kvs.update({ put: { keep: '1' } });
    const error = await kvs.update({ put: { big: 'x'.repeat(1025) } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KVS_LIMIT', exitCode: 2 });
    expect((error as Error).message).toContain('"big"');
    expect(await kvs.read()).toEqual({ keep: '1' });
  });

  it('a corrupt object is a clear error naming where it is and how to fix it', async () => {
    const store = fresh();
    await store.put(LOCAL_KVS_KEY, Buffer.from('{"a": 1}'), {});
    const error = await new LocalKvs(store).read().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KVS_CORRUPT' });
    expect((error as Error).message).toContain(LOCAL_KVS_KEY);
  });
});

// A store that only checks write conditions (s3rver) leaves a window between its read and its
// write; there the deploy lock, which every writer of this data holds, keeps writers apart. The
// race is shown where the store itself enforces the condition.
describe('LocalKvs on the fs store, which enforces write conditions', () => {
  it('two writers at once both land: the loser of the ETag race reads again', async () => {
    const store = stores[0]![1]();
    expect(await store.conditionalWrites()).toBe('atomic');
    const writers = Array.from({ length: 4 }, (_, i) => new LocalKvs(store, 20).update({ put: { [`k${i}`]: String(i) } }));
    const results = await Promise.all(writers);
    expect(await new LocalKvs(store).read()).toEqual({ k0: '0', k1: '1', k2: '2', k3: '3' });
    expect(results.reduce((sum, r) => sum + r.put, 0)).toBe(4);
    expect(results.reduce((sum, r) => sum + r.conflicts, 0)).toBeGreaterThan(0);
  });
});
