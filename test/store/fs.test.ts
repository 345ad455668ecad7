import { mkdtemp, readdir, rm, mkdir, writeFile, utimes, readFile } from 'node:fs/promises';
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FsStore, FS_STORE_MARKER } from '../../src/store/fs-store.js';
import { md5Hex } from '../../src/store/etag.js';
import { openStore } from '../../src/store/open.js';
import { listAll, readAll, runStoreContract } from './contract.js';

const root = await mkdtemp(path.join(tmpdir(), 'edgeship-fs-store-'));
afterAll(() => rm(root, { recursive: true, force: true }));

let n = 0;
const freshDir = (): string => path.join(root, `s${++n}`, 'store');

runStoreContract('fs', async () => ({ store: new FsStore(freshDir(), { fsync: false }) }));

/** Every file under `dir`, relative, recursively. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('FsStore', () => {
  it('keeps every file of every key inside its folder, whatever the key', async () => {
    const outer = path.join(root, `escape${++n}`);
    const dir = path.join(outer, 'store');
    const store = new FsStore(dir, { fsync: false });
    const keys = ['a/../b', './x', 'a/./b', '....', 'x/a/../../y', 'C:x', '%2e%2e/%2fetc', 'a\\..\\b'];
    for (const key of keys) await store.put(key, Buffer.from(key));
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '..\\x', 'C:\\Windows', 'a\0b']) {
      await expect(store.put(bad, Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
    }
    // Nothing appeared beside the store folder.
    expect(await readdir(outer)).toEqual(['store']);
    const files = await walk(dir);
    expect(files.every((f) => !f.startsWith('..') && !path.isAbsolute(f))).toBe(true);
    // File names are hashes: no key text reaches the filesystem.
    expect(files.filter((f) => f.startsWith('meta')).every((f) => /^meta\/[0-9a-f]{2}\/[0-9a-f]{64}\.json$/.test(f))).toBe(true);
    expect((await listAll(store)).map((o) => o.key).sort()).toEqual([...keys].sort());
  });

  it('stores a 1024-byte single-segment key (longer than any file name)', async () => {
    const store = new FsStore(freshDir(), { fsync: false });
    const key = 'ü'.repeat(512);
    await store.put(key, Buffer.from('long'));
    expect((await store.head(key))?.key).toBe(key);
  });

  it('keeps the old object when a stream errors half way, with no visible leftovers', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    await store.put('page.html', Buffer.from('old page'));
    const failing = () =>
      new Readable({
        read() {
          this.push(Buffer.alloc(64 * 1024, 'n'));
          if (++sent === 3) this.destroy(new Error('disk read failed half way'));
        },
      });
    let sent = 0;
    await expect(store.put('page.html', failing, { size: 1024 * 1024 })).rejects.toThrow(/half way/);
    expect(await readAll((await store.get('page.html'))!.body)).toEqual(Buffer.from('old page'));
    expect((await listAll(store)).map((o) => o.key)).toEqual(['page.html']);
    // The partial bytes were removed: only the one committed blob remains.
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect((await walk(path.join(dir, 'blobs'))).length).toBe(1);
  });

  it('keeps the old object when the writing process is killed mid-write (SIGKILL)', async () => {
    const dir = freshDir();
    const store = new FsStore(dir);
    await store.put('index.html', Buffer.from('<h1>old</h1>'), { contentType: 'text/html' });
    const child = fork(path.join(import.meta.dirname, 'fixtures', 'crash-writer.ts'), [dir, 'index.html'], {
      execArgv: ['--import', 'jiti/register'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await exited;
    // The partial write is on disk in tmp/, yet the object and the listing are untouched.
    expect((await readdir(path.join(dir, 'tmp'))).length).toBe(1);
    expect(await readAll((await store.get('index.html'))!.body)).toEqual(Buffer.from('<h1>old</h1>'));
    expect((await store.head('index.html'))?.contentType).toBe('text/html');
    expect((await listAll(store)).map((o) => o.key)).toEqual(['index.html']);
    // sweep() removes the leftover once it is old enough.
    const later = new FsStore(dir, { now: () => new Date(Date.now() + 2 * 3600_000) });
    expect(await later.sweep()).toBe(1);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('never lets a reader see a torn object while the key is rewritten', async () => {
    const store = new FsStore(freshDir(), { fsync: false });
    const versions = Array.from({ length: 6 }, (_, i) => Buffer.alloc(300_000 + i * 1000, String(i)));
    await store.put('hot.bin', versions[0]!);
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 4; round++) for (const v of versions) await store.put('hot.bin', () => Readable.from([v.subarray(0, 1000), v.subarray(1000)]), { size: v.length });
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const got = await store.get('hot.bin');
      const bytes = await readAll(got!.body);
      expect(bytes.length).toBe(got!.head.size);
      expect(md5Hex(bytes)).toBe(got!.head.etag);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('serializes concurrent puts of one key: one winner, no orphaned blob', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`version ${i}`));
    await Promise.all(bodies.map((b) => store.put('same', b)));
    const head = await store.head('same');
    expect(bodies.map(md5Hex)).toContain(head?.etag);
    expect((await walk(path.join(dir, 'blobs'))).length).toBe(1);
  });

  it('updates metadata without rewriting the bytes (same blob file)', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    await store.put('a.css', Buffer.from('a{}'), { cacheControl: 'max-age=1' });
    const before = await walk(path.join(dir, 'blobs'));
    await store.copyMetadata('a.css', { cacheControl: 'max-age=2' });
    expect(await walk(path.join(dir, 'blobs'))).toEqual(before);
    expect((await store.head('a.css'))?.cacheControl).toBe('max-age=2');
  });

  it('takes lastModified from the injected clock', async () => {
    const at = new Date('2030-01-02T03:04:05.000Z');
    const store = new FsStore(freshDir(), { fsync: false, now: () => at });
    await store.put('t', Buffer.from('t'));
    expect((await store.head('t'))?.lastModified).toEqual(at);
    expect((await listAll(store))[0]?.lastModified).toEqual(at);
  });

  it('sees a missing folder as an empty store and creates it on the first put', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    expect(await listAll(store)).toEqual([]);
    expect(await store.head('x')).toBeUndefined();
    expect(await store.deleteMany(['x'])).toEqual({ deleted: ['x'], errors: [] });
    await store.put('x', Buffer.from('x'));
    expect(JSON.parse(await readFile(path.join(dir, FS_STORE_MARKER), 'utf8'))).toEqual({ format: 'edgeship-fs-store', version: 1 });
  });

  it('refuses a non-empty folder that is not a store (never writes into a build folder)', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), '<h1>site</h1>');
    const store = new FsStore(dir, { fsync: false });
    await expect(store.put('x', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORE_FS_INVALID', message: expect.stringContaining(dir) });
    await expect(listAll(store)).rejects.toMatchObject({ code: 'STORE_FS_INVALID' });
    expect(await readdir(dir)).toEqual(['index.html']);
  });

  it('sweeps leftovers of crashed writes older than the cutoff, never live objects', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    await store.put('live', Buffer.from('live'));
    const blobShard = (await readdir(path.join(dir, 'blobs')))[0]!;
    const orphan = path.join(dir, 'blobs', blobShard, `${'0'.repeat(64)}.dead`);
    const tmpLeft = path.join(dir, 'tmp', 'crashed-write');
    await writeFile(orphan, 'orphan');
    await writeFile(tmpLeft, 'partial');
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(orphan, old, old);
    await utimes(tmpLeft, old, old);
    expect(await store.sweep()).toBe(2);
    expect(await readAll((await store.get('live'))!.body)).toEqual(Buffer.from('live'));
    expect(await store.sweep(0)).toBe(0);
  });

  it('answers head from the record alone (no blob read)', async () => {
    const dir = freshDir();
    const store = new FsStore(dir, { fsync: false });
    await store.put('k', Buffer.from('bytes'));
    await rm(path.join(dir, 'blobs'), { recursive: true });
    expect((await store.head('k'))?.size).toBe(5);
  });
});

describe('openStore', () => {
  it('opens an fs store from a target store config', async () => {
    const dir = freshDir();
    const store = openStore({ type: 'fs', dir });
    expect(store.location).toBe(`fs:${dir}`);
    await store.put('k', Buffer.from('v'));
    expect((await store.head('k'))?.etag).toBe(md5Hex(Buffer.from('v')));
  });
});
