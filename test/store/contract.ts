/**
 * The `ObjectStore` contract: every store implementation runs this suite
 * (`test/store/fs.test.ts`, `test/store/s3.test.ts`), so deploy and the edge can rely on the
 * same behavior whatever the target.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EtagAccumulator, md5Hex } from '../../src/store/etag.js';
import { mapLimit } from '../../src/store/concurrency.js';
import type { ObjectStore, ObjectSummary } from '../../src/store/types.js';
import { acquireLock, readLock, type Acquired } from '../../src/store/lock.js';

export interface ContractStore {
  /** A store that holds no objects yet. */
  store: ObjectStore;
  /** Part size the store uploads in (when it uploads in parts at `multipartThreshold`). */
  partSize?: number;
  /** Size from which the store uploads in parts; the suite puts an object above it. */
  multipartThreshold?: number;
}

export interface ContractQuirks {
  /**
   * The store normalizes keys as paths (s3rver: `a//b`, `a/./b`, `a/../b` land on `a/b`, `b`).
   * Real S3 and the fs store keep such keys literal; with this set, the suite skips those keys.
   */
  normalizesKeyPaths?: boolean;
}

export interface FactoryOptions {
  /**
   * For bulk seeding (the >1000-key listing): the store may skip per-put read-back
   * verification. Verification itself is covered by the other tests.
   */
  bulk?: boolean;
}

export function runStoreContract(name: string, factory: (options?: FactoryOptions) => Promise<ContractStore>, quirks: ContractQuirks = {}): void {
  describe(`ObjectStore contract: ${name}`, () => {
    describe('put, head, get', () => {
      it('round-trips bytes with the MD5 hex as ETag', async () => {
        const { store } = await factory();
        const bytes = Buffer.from('<h1>hello</h1>\n');
        const put = await store.put('index.html', bytes, { contentType: 'text/html; charset=utf-8' });
        expect(put.etag).toBe(md5Hex(bytes));
        const head = await store.head('index.html');
        expect(head).toMatchObject({ key: 'index.html', size: bytes.length, etag: md5Hex(bytes), contentType: 'text/html; charset=utf-8' });
        expect(head?.lastModified).toBeInstanceOf(Date);
        expect(Number.isNaN(head?.lastModified.getTime())).toBe(false);
        const got = await store.get('index.html');
        expect(got?.head.etag).toBe(md5Hex(bytes));
        expect(got?.range).toBeUndefined();
        expect(await readAll(got!.body)).toEqual(bytes);
      });

      it('answers undefined for a missing key (head and get)', async () => {
        const { store } = await factory();
        expect(store.location).toMatch(/^(fs|s3):/);
        expect(await store.head('missing.txt')).toBeUndefined();
        expect(await store.get('missing.txt')).toBeUndefined();
        expect(await store.get('missing.txt', { range: { start: 0, end: 1 } })).toBeUndefined();
      });

      it('stores an empty object', async () => {
        const { store } = await factory();
        await store.put('empty', Buffer.alloc(0));
        const got = await store.get('empty');
        expect(got?.head).toMatchObject({ size: 0, etag: md5Hex(Buffer.alloc(0)) });
        expect((await readAll(got!.body)).length).toBe(0);
      });

      it('takes a stream factory body with its size', async () => {
        const { store } = await factory();
        const bytes = Buffer.alloc(200_000, 'ab');
        const put = await store.put('stream.bin', () => Readable.from(chunks(bytes, 16_384)), { size: bytes.length });
        expect(put.etag).toBe(md5Hex(bytes));
        expect(md5Hex(await readAll((await store.get('stream.bin'))!.body))).toBe(md5Hex(bytes));
      });

      it('replaces an object on a second put (last write wins, one listing entry)', async () => {
        const { store } = await factory();
        await store.put('page.html', Buffer.from('one'), { cacheControl: 'max-age=1', metadata: { a: '1' } });
        await store.put('page.html', Buffer.from('two!'), { contentType: 'text/html' });
        const head = await store.head('page.html');
        expect(head).toMatchObject({ size: 4, etag: md5Hex(Buffer.from('two!')), contentType: 'text/html', metadata: {} });
        expect(head?.cacheControl).toBeUndefined();
        expect((await listAll(store)).map((o) => o.key)).toEqual(['page.html']);
      });

      it('round-trips contentType, cacheControl, contentEncoding and user metadata (lower-case names)', async () => {
        const { store } = await factory();
        await store.put('app.js', Buffer.from('console.log(1)'), {
          contentType: 'text/javascript; charset=utf-8',
          cacheControl: 'public, max-age=31536000, immutable',
          contentEncoding: 'identity',
          metadata: { 'Source-Hash': 'abc123', build: '42' },
        });
        const head = await store.head('app.js');
        expect(head).toMatchObject({
          contentType: 'text/javascript; charset=utf-8',
          cacheControl: 'public, max-age=31536000, immutable',
          contentEncoding: 'identity',
          metadata: { 'source-hash': 'abc123', build: '42' },
        });
        const got = await store.get('app.js');
        expect(got?.head.metadata).toEqual({ 'source-hash': 'abc123', build: '42' });
        got?.body.destroy();
      });
    });

    describe('headers', () => {
      it.each([
        ['a non-ASCII metadata value', { metadata: { title: 'Über' } }],
        ['a metadata name with a space', { metadata: { 'my name': 'x' } }],
        ['a control character in cacheControl', { cacheControl: 'max-age=1\n' }],
        ['more than 2 KB of metadata', { metadata: { big: 'x'.repeat(2100) } }],
      ])('refuses %s with STORE_HEADERS_INVALID (S3 carries them as ASCII headers)', async (_label, options) => {
        const { store } = await factory();
        await expect(store.put('h.txt', Buffer.from('h'), options)).rejects.toMatchObject({ code: 'STORE_HEADERS_INVALID' });
        await store.put('h.txt', Buffer.from('h'));
        await expect(store.copyMetadata('h.txt', options)).rejects.toMatchObject({ code: 'STORE_HEADERS_INVALID' });
        expect((await store.head('h.txt'))?.metadata).toEqual({});
      });
    });

    describe('keys', () => {
      const awkward = [
        'with space.txt',
        'ünïcødé/日本.html',
        '100%.txt',
        'q?x=1&y=2#frag.html',
        'plus+sign=.css',
        "quote'\"<>.txt",
        'emoji/🚀.svg',
        'a',
        'a/b',
        'a/b/c',
        'dir/',
        '.hidden',
        '...',
        // 984 bytes of UTF-8 (S3 allows 1024); segments stay under 255 bytes for path-based servers.
        `${'x'.repeat(200)}/`.repeat(4) + 'é'.repeat(90),
      ];
      const literalPaths = ['a//b', 'a/./b', 'a/../b', './x', 'dots/../in/../middle'];

      it('stores awkward keys side by side, including a and a/b', async () => {
        const { store } = await factory();
        const keys = quirks.normalizesKeyPaths ? awkward : [...awkward, ...literalPaths];
        await mapLimit(keys, 8, (key) => store.put(key, Buffer.from(`body of ${key}`)));
        for (const key of keys) {
          const got = await store.get(key);
          expect(got?.head.key, key).toBe(key);
          expect((await readAll(got!.body)).toString(), key).toBe(`body of ${key}`);
        }
        const listed = (await listAll(store)).map((o) => o.key).sort();
        expect(listed).toEqual([...keys].sort());
        expect((await listAll(store, 'a/')).map((o) => o.key).sort()).toEqual(keys.filter((k) => k.startsWith('a/')).sort());
      });

      it.skipIf(quirks.normalizesKeyPaths === true)('keeps "a//b", "a/./b", "a/../b" literal and distinct from "a/b" and "b"', async () => {
        const { store } = await factory();
        for (const key of ['a/b', 'b', 'a//b', 'a/./b', 'a/../b']) await store.put(key, Buffer.from(key));
        for (const key of ['a/b', 'b', 'a//b', 'a/./b', 'a/../b']) {
          expect((await readAll((await store.get(key))!.body)).toString()).toBe(key);
        }
      });

      const invalid = ['', '../x', 'a/../../x', '..', '/etc/passwd', '\\windows', 'C:\\x', 'C:/x', 'nul\0byte', 'lone\uD800surrogate', 'k'.repeat(1025)];
      it.each(invalid.map((k) => [JSON.stringify(k).slice(0, 40), k]))('refuses the key %s with STORE_KEY_INVALID on every method', async (_label, key) => {
        const { store } = await factory();
        await expect(store.put(key, Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
        await expect(store.head(key)).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
        await expect(store.get(key)).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
        await expect(store.copyMetadata(key, {})).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
        const del = await store.deleteMany([key]);
        expect(del.deleted).toEqual([]);
        expect(del.errors).toMatchObject([{ key, code: 'STORE_KEY_INVALID' }]);
        expect(await listAll(store)).toEqual([]);
      });
    });

    describe('get with range', () => {
      const bytes = Buffer.from('0123456789abcdefghij'); // 20 bytes
      it.each([
        ['a middle slice', { start: 2, end: 5 }, { start: 2, end: 5 }],
        ['one byte', { start: 0, end: 0 }, { start: 0, end: 0 }],
        ['the last byte', { start: 19, end: 19 }, { start: 19, end: 19 }],
        ['an open end', { start: 15 }, { start: 15, end: 19 }],
        ['an end past the object, clamped', { start: 10, end: 1000 }, { start: 10, end: 19 }],
        ['the whole object', { start: 0, end: 19 }, { start: 0, end: 19 }],
      ])('returns exactly %s', async (_label, range, actual) => {
        const { store } = await factory();
        await store.put('r.txt', bytes);
        const got = await store.get('r.txt', { range });
        expect(got?.range).toEqual(actual);
        expect(got?.head.size).toBe(20);
        expect((await readAll(got!.body)).toString()).toBe(bytes.subarray(actual.start, actual.end + 1).toString());
      });

      it('refuses a range starting at or past the end with STORE_RANGE_INVALID (S3 answers 416)', async () => {
        const { store } = await factory();
        await store.put('r.txt', bytes);
        await expect(store.get('r.txt', { range: { start: 20 } })).rejects.toMatchObject({ code: 'STORE_RANGE_INVALID' });
        await expect(store.get('r.txt', { range: { start: 5, end: 2 } })).rejects.toMatchObject({ code: 'STORE_RANGE_INVALID' });
      });
    });

    describe('list', () => {
      it('lists every key under a prefix with size, ETag and lastModified', async () => {
        const { store } = await factory();
        await store.put('images/a.png', Buffer.from('aaaa'));
        await store.put('images/sub/b.png', Buffer.from('bb'));
        await store.put('imagesX.txt', Buffer.from('x'));
        await store.put('index.html', Buffer.from('i'));
        const images = (await listAll(store, 'images/')).sort(byKey);
        expect(images.map((o) => [o.key, o.size, o.etag])).toEqual([
          ['images/a.png', 4, md5Hex(Buffer.from('aaaa'))],
          ['images/sub/b.png', 2, md5Hex(Buffer.from('bb'))],
        ]);
        expect(images[0]?.lastModified).toBeInstanceOf(Date);
        expect((await listAll(store, 'images')).length).toBe(3);
        expect((await listAll(store)).length).toBe(4);
        expect(await listAll(store, 'nothing/')).toEqual([]);
      });

      it('lists more than 1000 keys (pagination)', async () => {
        const { store } = await factory({ bulk: true });
        const keys = Array.from({ length: 1010 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
        await mapLimit(keys, 16, (key) => store.put(key, Buffer.from(key)));
        const listed = await listAll(store, 'many/');
        expect(listed.length).toBe(1010);
        expect(new Set(listed.map((o) => o.key))).toEqual(new Set(keys));
        // ...and deletes them all (more than one DeleteObjects batch of 1000 on S3).
        const res = await store.deleteMany(keys);
        expect(res.errors).toEqual([]);
        expect(res.deleted.length).toBe(1010);
        expect(await listAll(store, 'many/')).toEqual([]);
      }, 60_000);
    });

    describe('copyMetadata', () => {
      it('replaces headers and metadata, keeping bytes and ETag', async () => {
        const { store } = await factory();
        const bytes = Buffer.from('body { color: red }');
        await store.put('s.css', bytes, { contentType: 'text/css', cacheControl: 'max-age=60', metadata: { old: 'yes' } });
        const res = await store.copyMetadata('s.css', { contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', metadata: { fresh: '1' } });
        expect(res.etag).toBe(md5Hex(bytes));
        const head = await store.head('s.css');
        expect(head).toMatchObject({ etag: md5Hex(bytes), size: bytes.length, contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', metadata: { fresh: '1' } });
        expect(head?.metadata.old).toBeUndefined();
        expect(await readAll((await store.get('s.css'))!.body)).toEqual(bytes);
      });

      it('refuses a missing key with STORE_NOT_FOUND', async () => {
        const { store } = await factory();
        await expect(store.copyMetadata('nope.css', { contentType: 'text/css' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });
    });

    describe('deleteMany', () => {
      it('deletes existing keys and counts missing ones as deleted', async () => {
        const { store } = await factory();
        await store.put('d/1', Buffer.from('1'));
        await store.put('d/2', Buffer.from('2'));
        await store.put('keep', Buffer.from('k'));
        const res = await store.deleteMany(['d/1', 'd/2', 'never-existed', 'ünïcødé gone']);
        expect(res.errors).toEqual([]);
        expect([...res.deleted].sort()).toEqual(['d/1', 'd/2', 'never-existed', 'ünïcødé gone'].sort());
        expect(await store.head('d/1')).toBeUndefined();
        expect((await listAll(store)).map((o) => o.key)).toEqual(['keep']);
      });

      it('reports per-key errors beside the keys it deleted', async () => {
        const { store } = await factory();
        await store.put('ok', Buffer.from('1'));
        const res = await store.deleteMany(['ok', '../escape']);
        expect(res.deleted).toEqual(['ok']);
        expect(res.errors).toMatchObject([{ key: '../escape', code: 'STORE_KEY_INVALID' }]);
        expect(res.errors[0]?.message).toContain('../escape');
      });

      it('accepts an empty list', async () => {
        const { store } = await factory();
        expect(await store.deleteMany([])).toEqual({ deleted: [], errors: [] });
      });
    });

    describe('conditional writes', () => {
      it('If-None-Match: * creates a missing key and refuses an existing one, keeping it', async () => {
        const { store } = await factory();
        expect(['atomic', 'checked']).toContain(await store.conditionalWrites());
        await store.put('c.json', Buffer.from('first'), { ifNoneMatch: '*' });
        await expect(store.put('c.json', Buffer.from('second'), { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'STORE_PRECONDITION_FAILED' });
        expect((await readAll((await store.get('c.json'))!.body)).toString()).toBe('first');
      });

      it('If-Match replaces only the ETag it names, and refuses a missing key', async () => {
        const { store } = await factory();
        const first = await store.put('c.json', Buffer.from('first'));
        await expect(store.put('c.json', Buffer.from('other'), { ifMatch: md5Hex(Buffer.from('nope')) })).rejects.toMatchObject({ code: 'STORE_PRECONDITION_FAILED' });
        const second = await store.put('c.json', Buffer.from('second'), { ifMatch: first.etag });
        expect(second.etag).toBe(md5Hex(Buffer.from('second')));
        await expect(store.put('c.json', Buffer.from('third'), { ifMatch: first.etag })).rejects.toMatchObject({ code: 'STORE_PRECONDITION_FAILED' });
        await expect(store.put('absent.json', Buffer.from('x'), { ifMatch: first.etag })).rejects.toMatchObject({ code: 'STORE_PRECONDITION_FAILED' });
        expect((await readAll((await store.get('c.json'))!.body)).toString()).toBe('second');
      });
    });

    describe('lock', () => {
      const ttlMs = 60_000;
      it('lets one of two runs that start at once hold it; the other is told who holds it and since when', async () => {
        const { store } = await factory();
        const tries = await Promise.allSettled([
          acquireLock(store, 'locks/deploy.json', { ttlMs, owner: 'run-a', settleMs: 300 }),
          acquireLock(store, 'locks/deploy.json', { ttlMs, owner: 'run-b', settleMs: 300 }),
        ]);
        const won = tries.filter((t) => t.status === 'fulfilled').map((t) => (t as PromiseFulfilledResult<Acquired>).value);
        const lost = tries.filter((t) => t.status === 'rejected').map((t) => (t as PromiseRejectedResult).reason as Error & { code: string });
        expect(won.length).toBe(1);
        expect(lost.length).toBe(1);
        expect(lost[0]!.code).toBe('STORE_LOCKED');
        expect(lost[0]!.message).toContain(`${won[0]!.lock.info.owner}, started ${won[0]!.lock.info.startedAt}`);
        await won[0]!.lock.release();
        expect(await store.head('locks/deploy.json')).toBeUndefined();
        const next = await acquireLock(store, 'locks/deploy.json', { ttlMs, owner: 'run-c', settleMs: 0 });
        await next.lock.release();
      });

      it('takes over a lock left past its expiry, saying whose it was; the old holder finds it lost', async () => {
        const { store } = await factory();
        let clock = new Date('2026-03-01T00:00:00Z');
        const now = () => clock;
        const old = await acquireLock(store, 'lock.json', { ttlMs, owner: 'killed', now, settleMs: 0 });
        clock = new Date(clock.getTime() + ttlMs - 1);
        await expect(acquireLock(store, 'lock.json', { ttlMs, owner: 'early', now, settleMs: 0 })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
        clock = new Date(clock.getTime() + 2);
        const taken = await acquireLock(store, 'lock.json', { ttlMs, owner: 'next', now, settleMs: 0 });
        expect(taken.tookOver).toMatchObject({ owner: 'killed', startedAt: '2026-03-01T00:00:00.000Z' });
        await old.lock.refresh();
        expect(() => old.lock.assertHeld()).toThrow(expect.objectContaining({ code: 'STORE_LOCK_LOST' }));
        await old.lock.release(); // not its lock any more: left in place
        expect((await readLock(store, 'lock.json'))?.info.owner).toBe('next');
        await taken.lock.release();
      });

      it('takes over at once the lock of a process of this host that no longer runs', async () => {
        const { store } = await factory();
        const gone = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid names no process
        const left = { owner: 'killed', id: 'x', startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + ttlMs).toISOString(), host: os.hostname(), pid: gone };
        await store.put('lock.json', Buffer.from(JSON.stringify(left)));
        const taken = await acquireLock(store, 'lock.json', { ttlMs, owner: 'rerun', settleMs: 0 });
        expect(taken.tookOver).toMatchObject({ owner: 'killed', pid: gone });
        await taken.lock.release();
      });

      it('waits for a held lock with wait, and takes it once released', async () => {
        const { store } = await factory();
        const first = await acquireLock(store, 'lock.json', { ttlMs, owner: 'first', settleMs: 0 });
        const waits: string[] = [];
        const second = await acquireLock(store, 'lock.json', {
          ttlMs,
          owner: 'second',
          wait: true,
          settleMs: 0,
          onWait: (holder) => waits.push(holder.owner),
          sleep: () => first.lock.release(), // the holder finishes while the second waits
        });
        expect(waits).toEqual(['first']);
        expect(second.lock.info.owner).toBe('second');
        await second.lock.release();
      });
    });

    describe('integrity', () => {
      it('rejects a buffer whose MD5 does not match options.md5 and keeps the old object', async () => {
        const { store } = await factory();
        await store.put('m.txt', Buffer.from('old'));
        await expect(store.put('m.txt', Buffer.from('new'), { md5: md5Hex(Buffer.from('other')) })).rejects.toMatchObject({ code: 'STORE_BODY_MISMATCH' });
        expect(await readAll((await store.get('m.txt'))!.body)).toEqual(Buffer.from('old'));
      });

      it('rejects a stream whose MD5 or size does not match and keeps the old object', async () => {
        const { store } = await factory();
        await store.put('m.txt', Buffer.from('old'));
        const body = Buffer.alloc(50_000, 'z');
        await expect(store.put('m.txt', () => Readable.from([body]), { size: body.length, md5: md5Hex(Buffer.from('x')) })).rejects.toMatchObject({ code: 'STORE_BODY_MISMATCH' });
        await expect(store.put('m.txt', () => Readable.from([body]), { size: body.length + 1 })).rejects.toMatchObject({ code: 'STORE_BODY_MISMATCH' });
        expect(await readAll((await store.get('m.txt'))!.body)).toEqual(Buffer.from('old'));
        expect((await listAll(store)).map((o) => o.key)).toEqual(['m.txt']);
      });

      it('accepts a matching options.md5 (any hex case); refuses a malformed one and a stream without size', async () => {
        const { store } = await factory();
        const bytes = Buffer.from('match');
        expect((await store.put('ok.txt', bytes, { md5: md5Hex(bytes).toUpperCase() })).etag).toBe(md5Hex(bytes));
        await expect(store.put('ok.txt', bytes, { md5: 'not-a-digest' })).rejects.toMatchObject({ code: 'STORE_BODY_MISMATCH' });
        await expect(store.put('ok.txt', () => Readable.from([bytes]))).rejects.toMatchObject({ code: 'STORE_BODY_MISMATCH', message: expect.stringContaining('size') });
      });

      it('stores an object above the multipart threshold intact', async () => {
        const { store, multipartThreshold, partSize } = await factory();
        const size = Math.max(multipartThreshold ?? 0, 5 * 1024 * 1024) + 3 * 1024 * 1024 + 7;
        const bytes = Buffer.alloc(size);
        for (let i = 0; i < size; i += 4096) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
        const put = await store.put('big.bin', () => Readable.from(chunks(bytes, 256 * 1024)), { size, md5: md5Hex(bytes) });
        const acc = new EtagAccumulator(partSize ?? 5 * 1024 * 1024);
        acc.update(bytes);
        const { md5, multipart } = acc.digest();
        expect([md5, multipart]).toContain(put.etag);
        const head = await store.head('big.bin');
        expect(head?.size).toBe(size);
        expect(head?.etag).toBe(put.etag);
        expect(md5Hex(await readAll((await store.get('big.bin'))!.body))).toBe(md5);
        const tail = await store.get('big.bin', { range: { start: size - 10 } });
        expect((await readAll(tail!.body)).equals(bytes.subarray(size - 10))).toBe(true);
      }, 60_000);
    });
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}

export async function listAll(store: ObjectStore, prefix?: string): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  for await (const o of store.list(prefix)) out.push(o);
  return out;
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function byKey(a: ObjectSummary, b: ObjectSummary): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
