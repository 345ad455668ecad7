import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFilesInWorker, WORKER_MIN_BYTES } from '../../src/deploy/hash-worker.js';
import { HashCache } from '../../src/deploy/hash-cache.js';
import { scanSite } from '../../src/deploy/scan.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-hash-worker-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const md5 = (bytes: Buffer) => crypto.createHash('md5').update(bytes).digest('hex');

describe('hashFilesInWorker', () => {
  it('gives every file its MD5 by index, over more batches than are in flight', async () => {
    const dir = path.join(root, 'many');
    fs.mkdirSync(dir);
    const contents = Array.from({ length: 101 }, (_, i) => crypto.randomBytes(1 + i * 37));
    const paths = contents.map((c, i) => {
      const p = path.join(dir, `f${i}.bin`);
      fs.writeFileSync(p, c);
      return p;
    });
    const got = new Array<string>(paths.length);
    let calls = 0;
    await hashFilesInWorker(paths, (i, hash) => {
      calls++;
      got[i] = hash;
    });
    expect(calls).toBe(paths.length);
    expect(got).toEqual(contents.map(md5));
  });

  it('rejects with the code and path of a file it cannot read', async () => {
    const dir = path.join(root, 'missing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
    const gone = path.join(dir, 'gone.txt');
    await expect(hashFilesInWorker([path.join(dir, 'a.txt'), gone], () => undefined)).rejects.toMatchObject({ code: 'ENOENT', path: gone, message: expect.stringContaining(gone) });
  });

  it('does nothing for no files', async () => {
    let calls = 0;
    await hashFilesInWorker([], () => calls++);
    expect(calls).toBe(0);
  });
});

describe('scanSite with more than WORKER_MIN_BYTES to hash', () => {
  it('hashes on the worker thread to the same MD5s, and caches them', async () => {
    const site = path.join(root, 'big', 'out');
    fs.mkdirSync(site, { recursive: true });
    const size = 1024 * 1024;
    const count = Math.ceil(WORKER_MIN_BYTES / size) + 1;
    const expected = new Map<string, string>();
    for (let i = 0; i < count; i++) {
      const bytes = crypto.randomBytes(size);
      fs.writeFileSync(path.join(site, `chunk-${i}.js`), bytes);
      expected.set(`chunk-${i}.js`, md5(bytes));
    }
    const cacheFile = path.join(root, 'big', 'cache.json');
    const cache = HashCache.load(cacheFile, 'test', 'here');
    const first = await scanSite(site, { cache });
    cache.save();
    // written a second after the files, so none is racily clean (see scan.test.ts)
    const later = new Date(Date.now() + 1_000);
    fs.utimesSync(cacheFile, later, later);
    expect(first.hashed).toBe(count);
    expect(first.onWorker).toBe(count);
    expect(new Map(first.files.map((f) => [f.key, f.md5]))).toEqual(expected);
    const again = await scanSite(site, { cache: HashCache.load(cacheFile, 'test', 'here') });
    expect(again).toMatchObject({ hashed: 0, fromCache: count });
  });
});
