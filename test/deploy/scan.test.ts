import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { HashCache } from '../../src/deploy/hash-cache.js';
import { scanSite } from '../../src/deploy/scan.js';

let root: string;
let site: string;
const write = (rel: string, content: string) => {
  const abs = path.join(site, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
};
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-scan-'));
  site = path.join(root, 'out');
  fs.mkdirSync(site);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
/**
 * Saves the cache as if written a second after the files: one written in the same clock tick
 * as a file does not vouch for it (racily clean), and a test writes both within microseconds.
 */
const saveSettled = (cache: HashCache, file: string) => {
  cache.save();
  const later = new Date(Date.now() + 1_000);
  fs.utimesSync(file, later, later);
};

describe('scanSite', () => {
  it('finds every file as a key, dotfiles and awkward names included', async () => {
    write('index.html', '<h1>hi</h1>');
    write('.well-known/security.txt', 'Contact: x');
    write('with space.txt', 'a');
    write('café/index.html', 'b');
    write('_next/static/chunks/a-1234abcd.js', 'c');
    const { files } = await scanSite(site);
    expect(files.map((f) => f.key).sort()).toEqual(['.well-known/security.txt', '_next/static/chunks/a-1234abcd.js', 'café/index.html', 'index.html', 'with space.txt']);
    expect(files.find((f) => f.key === 'index.html')).toMatchObject({ size: 11, md5: crypto.createHash('md5').update('<h1>hi</h1>').digest('hex') });
  });

  it('skips what deploy.exclude names (CloudFront pattern syntax)', async () => {
    write('index.html', 'x');
    write('drafts/a.html', 'x');
    write('notes.md', 'x');
    const { files, excluded } = await scanSite(site, { exclude: ['drafts/*', '*.md'] });
    expect(files.map((f) => f.key)).toEqual(['index.html']);
    expect(excluded.sort()).toEqual(['drafts/a.html', 'notes.md']);
  });

  it('follows a symlink that stays inside the folder, and stops at a link back up (a cycle)', async () => {
    write('real/a.txt', 'x');
    fs.symlinkSync(path.join(site, 'real'), path.join(site, 'alias'));
    fs.symlinkSync(site, path.join(site, 'real', 'up'));
    fs.symlinkSync(path.join(site, 'real', 'a.txt'), path.join(site, 'b.txt'));
    const { files } = await scanSite(site);
    expect(files.map((f) => f.key).sort()).toEqual(['alias/a.txt', 'b.txt', 'real/a.txt']);
  });

  it('refuses a symlink that leaves the folder, naming it (exit 2)', async () => {
    write('index.html', 'x');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'key');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(site, 'leak.txt'));
    await expect(scanSite(site)).rejects.toMatchObject({ code: 'DEPLOY_SYMLINK_OUTSIDE', exitCode: EXIT.usage, message: expect.stringMatching(/leak\.txt.*outside the site folder/) });
  });

  it('refuses a site file under the reserved .edgeship/ prefix', async () => {
    write('.edgeship/deploy-manifest.json', '{}');
    await expect(scanSite(site)).rejects.toMatchObject({ code: 'DEPLOY_RESERVED_KEY', exitCode: EXIT.usage });
    await expect(scanSite(site, { exclude: ['.edgeship/*'] })).rejects.toMatchObject({ code: 'DEPLOY_EMPTY_SITE' });
  });

  it('refuses a missing folder with exit 2', async () => {
    await expect(scanSite(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'DEPLOY_NO_SITE', exitCode: EXIT.usage, message: expect.stringMatching(/nothing was changed/) });
  });

  it('refuses an empty folder with exit 2', async () => {
    fs.mkdirSync(path.join(site, 'images'));
    await expect(scanSite(site)).rejects.toMatchObject({ code: 'DEPLOY_EMPTY_SITE', exitCode: EXIT.usage });
  });

  it('re-hashes nothing on a second scan with the hash cache, and only what changed after an edit', async () => {
    write('a.txt', 'a');
    write('b.txt', 'b');
    const cacheFile = path.join(root, '.edgeship/cache/deploy-hashes.json');
    const first = HashCache.load(cacheFile, 'x', 'here');
    const r1 = await scanSite(site, { cache: first });
    saveSettled(first, cacheFile);
    expect([r1.hashed, r1.fromCache, r1.onWorker]).toEqual([2, 0, 0]); // a few bytes: hashed on this thread

    const second = HashCache.load(cacheFile, 'x', 'here');
    const r2 = await scanSite(site, { cache: second });
    saveSettled(second, cacheFile);
    expect([r2.hashed, r2.fromCache]).toEqual([0, 2]);
    expect(r2.files.map((f) => f.md5)).toEqual(r1.files.map((f) => f.md5));

    write('b.txt', 'bb');
    const third = HashCache.load(cacheFile, 'x', 'here');
    const r3 = await scanSite(site, { cache: third });
    expect([r3.hashed, r3.fromCache]).toEqual([1, 1]);
    expect(r3.files.find((f) => f.key === 'b.txt')!.md5).not.toBe(r1.files.find((f) => f.key === 'b.txt')!.md5);
  });

  it('drops the cache when the multipart settings change', async () => {
    write('a.txt', 'a');
    const cacheFile = path.join(root, 'cache.json');
    const c1 = HashCache.load(cacheFile, '16/8', 'here');
    await scanSite(site, { cache: c1 });
    saveSettled(c1, cacheFile);
    const r = await scanSite(site, { cache: HashCache.load(cacheFile, '32/8', 'here') });
    expect(r.hashed).toBe(1);
  });
});
