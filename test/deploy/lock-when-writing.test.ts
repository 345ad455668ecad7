import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { DEPLOY_LOCK_KEY } from '../../src/deploy/deploy-lock.js';
import { FsStore } from '../../src/store/fs-store.js';
import type { ObjectStore } from '../../src/store/types.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let root: string;
const SITE = { pages: 4, chunks: 4, images: 2, chunkBytes: 300, imageBytes: 500 };

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-lock-when-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** The real fs store, with the keys of every put in the order they were sent. */
function recording(inner: ObjectStore): { store: ObjectStore; puts: string[] } {
  const puts: string[] = [];
  const store: ObjectStore = {
    location: inner.location,
    list: (prefix) => inner.list(prefix),
    head: (key) => inner.head(key),
    get: (key, options) => inner.get(key, options),
    put: (key, body, options) => {
      puts.push(key);
      return inner.put(key, body, options);
    },
    copyMetadata: (key, options) => inner.copyMetadata(key, options),
    deleteMany: (keys) => inner.deleteMany(keys),
    conditionalWrites: () => inner.conditionalWrites(),
  };
  return { store, puts };
}

describe('the deploy lock is taken by a deploy that writes, and only by one', () => {
  const model = () => resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS }, root);
  const fsStore = () => new FsStore(path.join(root, 'store'));

  it('a redeploy with nothing to write takes no lock', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    await deploySite(model(), { store: fsStore() });
    const { store, puts } = recording(fsStore());
    const report = await deploySite(model(), { store });
    expect(report.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0 });
    expect(puts).toEqual([]);
  });

  it('a rebuild takes the lock before its first write', async () => {
    generateNextSite(path.join(root, 'out'), SITE);
    await deploySite(model(), { store: fsStore() });
    generateNextSite(path.join(root, 'out'), { ...SITE, rev: 1, changed: 0.5 });
    const { store, puts } = recording(fsStore());
    const report = await deploySite(model(), { store });
    expect(report.totals.upload).toBeGreaterThan(0);
    expect(puts[0]).toBe(DEPLOY_LOCK_KEY);
  });

  it('an object removed by another tool (the manifest still lists it) is found by the listing: the lock is taken then, and the object uploaded again', async () => {
    const site = generateNextSite(path.join(root, 'out'), SITE);
    const gone = [...site.files.keys()].find((k) => k.endsWith('.html'))!;
    await deploySite(model(), { store: fsStore() });
    await fsStore().deleteMany([gone]);
    const { store, puts } = recording(fsStore());
    const report = await deploySite(model(), { store });
    expect(report.actions.filter((a) => a.action === 'upload').map((a) => a.key)).toEqual([gone]);
    expect(puts.indexOf(DEPLOY_LOCK_KEY)).toBeGreaterThanOrEqual(0);
    expect(puts.indexOf(DEPLOY_LOCK_KEY)).toBeLessThan(puts.indexOf(gone));
    expect(await fsStore().head(DEPLOY_LOCK_KEY)).toBeUndefined(); // released
  });
});
