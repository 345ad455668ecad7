import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { MANIFEST_KEY } from '../../src/deploy/manifest.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let s3: S3rverHandle;
let root: string;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-deploy-s3-'));
});
afterAll(async () => {
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const SITE = { pages: 5, chunks: 6, images: 3, chunkBytes: 400, imageBytes: 800 };
const model = () =>
  resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS, targets: { staging: { store: { type: 's3', bucket: 'site', endpoint: s3.endpoint, forcePathStyle: true } } } }, root);

describe('deploySite to an S3-compatible endpoint (s3rver on 127.0.0.1)', () => {
  it('deploys, converges to all-skip, and uploads only what a rebuild changed', async () => {
    const v1 = generateNextSite(path.join(root, 'out'), SITE);
    const first = await deploySite(model(), { target: 'staging' });
    expect(first.store).toBe('s3://site/');
    expect(first.totals.upload).toBe(v1.files.size);

    const store = new S3Store({ bucket: 'site', endpoint: s3.endpoint, forcePathStyle: true });
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys.sort()).toEqual([...v1.files.keys(), MANIFEST_KEY].sort());
    expect(await store.head('_next/static/css/app-9f8e7d6c5b4a3921.css')).toMatchObject({ cacheControl: 'public, max-age=31536000, immutable', contentType: 'text/css; charset=utf-8' });
    expect(await store.head('index.html')).toMatchObject({ cacheControl: 'public, max-age=0, s-maxage=300, must-revalidate' });

    const again = await deploySite(model(), { target: 'staging' });
    expect(again.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0, skip: v1.files.size });

    const v2 = generateNextSite(path.join(root, 'out'), { ...SITE, rev: 1, changed: 0.4 });
    const third = await deploySite(model(), { target: 'staging' });
    const changed = [...v2.files.keys()].filter((k) => v1.digests.get(k) !== v2.digests.get(k)).sort();
    expect(third.actions.filter((a) => a.action === 'upload').map((a) => a.key).sort()).toEqual(changed);
    store.destroy();
  });

  it('uploads a large file in parts and recognises it on the next deploy, also after its mtime changed', async () => {
    const dir = path.join(root, 'big');
    fs.mkdirSync(path.join(dir, 'out/downloads'), { recursive: true });
    const bytes = crypto.randomBytes(9 * 1024 * 1024);
    const file = path.join(dir, 'out/downloads/manual.pdf');
    fs.writeFileSync(file, bytes);
    const site = resolveConfig(
      { site: 'out', deploy: { multipartThreshold: 5 * 1024 * 1024 }, targets: { s3: { store: { type: 's3', bucket: 'site', prefix: 'big/', endpoint: s3.endpoint, forcePathStyle: true } } } },
      dir,
    );
    const first = await deploySite(site, { target: 's3' });
    expect(first.totals).toMatchObject({ upload: 1, bytesUploaded: bytes.length });
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // a rebuild rewrote it
    const second = await deploySite(site, { target: 's3' });
    expect(second.scan.hashed).toBe(1);
    expect(second.totals).toMatchObject({ upload: 0, skip: 1 });
  });
});
