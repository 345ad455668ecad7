/**
 * Content decides, never the clock alone: an edit that keeps the size and restores the mtime to
 * the nanosecond (`cp -p`, `rsync -a`, an unpacked CI artifact, `SOURCE_DATE_EPOCH` builds)
 * is found by the hash cache's ctime and inode, and reaches the store.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { HashCache } from '../../src/deploy/hash-cache.js';
import { scanSite } from '../../src/deploy/scan.js';
import { FsStore } from '../../src/store/fs-store.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let root: string;
let site: string;
const page = () => path.join(site, 'index.html');
const mtimeNs = (file: string) => fs.statSync(file, { bigint: true }).mtimeNs;
const model = () => resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS }, root);
async function stored(key: string): Promise<string> {
  const got = await new FsStore(path.join(root, '.edgeship/store')).get(key);
  const chunks: Buffer[] = [];
  for await (const c of got!.body as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString();
}
/** Rewrites the page to other bytes of the same length and puts its mtime back to the nanosecond, as `cp -p` does. */
function editKeepingSizeAndMtime(content: string) {
  const ref = path.join(root, 'mtime-ref');
  execFileSync('cp', ['-p', page(), ref]);
  const before = mtimeNs(page());
  fs.writeFileSync(page(), content);
  execFileSync('touch', ['-r', ref, page()]);
  expect(mtimeNs(page())).toBe(before); // the premise: size and mtime_ns as they were
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-hashcache-'));
  site = path.join(root, 'out');
  fs.mkdirSync(site);
  fs.writeFileSync(page(), '<p>version A</p>');
  fs.writeFileSync(path.join(site, 'robots.txt'), 'User-agent: *\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the deploy hash cache', () => {
  it('uploads a page edited to the same size with its mtime_ns restored', async () => {
    await deploySite(model());
    editKeepingSizeAndMtime('<p>version B</p>');
    const report = await deploySite(model());
    expect(report.actions.filter((a) => a.action === 'upload').map((a) => a.key)).toEqual(['index.html']);
    expect(report.scan).toMatchObject({ hashed: 1, fromCache: 1 });
    expect(await stored('index.html')).toBe('<p>version B</p>');
  });

  it('hashes every file again with --force', async () => {
    await deploySite(model());
    const forced = await deploySite(model(), { force: true });
    expect(forced.scan).toMatchObject({ hashed: 2, fromCache: 0 });
    expect(forced.changed).toBe(false);
  });

  it('does not trust a cache written for another machine or checkout', async () => {
    const file = path.join(root, 'cache.json');
    const mine = HashCache.load(file, 'x', 'host-a:/build/out');
    await scanSite(site, { cache: mine });
    mine.save();
    fs.utimesSync(file, new Date(Date.now() + 1_000), new Date(Date.now() + 1_000)); // the files settled before the cache was written
    expect((await scanSite(site, { cache: HashCache.load(file, 'x', 'host-a:/build/out') })).fromCache).toBe(2);
    expect((await scanSite(site, { cache: HashCache.load(file, 'x', 'host-b:/build/out') })).fromCache).toBe(0);
  });

  it('does not trust an entry for a file changed no earlier than the cache was written (racily clean, as git)', async () => {
    const file = path.join(root, 'cache.json');
    const cache = HashCache.load(file, 'x', 'here');
    await scanSite(site, { cache });
    cache.save();
    // The cache file now carries the page's own mtime: a change in that tick would keep the stamp.
    execFileSync('touch', ['-r', page(), file]);
    const r = await scanSite(site, { cache: HashCache.load(file, 'x', 'here') });
    expect(r.hashed).toBeGreaterThanOrEqual(1);
  });
});
