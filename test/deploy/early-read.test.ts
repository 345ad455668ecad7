import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { matchEarlyRead, startEarlyRead } from '../../src/deploy/early-read.js';
import { MANIFEST_KEY } from '../../src/deploy/manifest.js';
import { EXIT } from '../../src/errors.js';
import { S3Store } from '../../src/store/s3-store.js';
import { generateNextSite } from '../helpers/next-site.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let s3: S3rverHandle;
let root: string;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'early' });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-early-read-'));
});
afterAll(async () => {
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const SITE = { pages: 3, chunks: 3, images: 2, chunkBytes: 300, imageBytes: 500 };
const rawConfig = (store: Record<string, unknown> = {}, deploy: Record<string, unknown> = {}) => ({
  site: 'out',
  behaviors: NEXT_BEHAVIORS,
  deploy,
  targets: { staging: { store: { type: 's3', bucket: 'early', endpoint: s3.endpoint, forcePathStyle: true, ...store } } },
});

describe('startEarlyRead: the store listing started from the config as read', () => {
  it.each([
    ['no config value', undefined],
    ['a config that is not an object', 'staging'],
    ['no targets', {}],
    ['no such target', { targets: { other: { store: { type: 's3', bucket: 'early' } } } }],
    ['an fs target', { targets: { staging: { store: { type: 'fs', dir: 'store' } } } }],
    ['an S3 target without a bucket name', { targets: { staging: { store: { type: 's3', bucket: 7 } } } }],
    ['a target inherited from the prototype', Object.create({ targets: { staging: { store: { type: 's3', bucket: 'early' } } } })],
  ])('starts nothing for %s', async (_what, raw) => {
    expect(await startEarlyRead(raw, 'staging')).toBeUndefined();
  });

  it('starts nothing when the store refuses the options (a prefix with a leading slash)', async () => {
    expect(await startEarlyRead(rawConfig({ prefix: '/www/' }), 'staging')).toBeUndefined();
  });

  it('lists the store and reads its manifest, as the deploy would', async () => {
    const dir = path.join(root, 'lists');
    const build = generateNextSite(path.join(dir, 'out'), SITE);
    await deploySite(resolveConfig(rawConfig({ prefix: 'lists/' }), dir), { target: 'staging' });
    const early = (await startEarlyRead(rawConfig({ prefix: 'lists/' }), 'staging'))!;
    try {
      const { listed, manifest } = await early.contents;
      expect(listed.map((o) => o.key).sort()).toEqual([...build.files.keys(), MANIFEST_KEY].sort());
      expect(manifest.deploys.map((d) => d.id)).toEqual([1]);
      expect(early.options).toMatchObject({ bucket: 'early', prefix: 'lists/', concurrency: 16, multipartThreshold: 16 * 1024 * 1024 });
    } finally {
      early.store.destroy();
    }
  });
});

describe('matchEarlyRead: used only when the validated config opens the same store', () => {
  it.each([
    ['the same config', {}, {}, true],
    ['deploy settings it read, equal to the defaults', {}, { concurrency: 16 }, true],
    ['another bucket', { bucket: 'other' }, {}, false],
    ['another prefix', { prefix: 'x/' }, {}, false],
    ['another concurrency', {}, { concurrency: 4 }, false],
  ])('%s: %s', async (_what, store, deploy, used) => {
    const early = (await startEarlyRead(rawConfig(), 'staging'))!;
    try {
      const site = resolveConfig(rawConfig(store, deploy), root);
      expect(matchEarlyRead(early, site.targets.staging!.store, site.deploy)).toBe(used ? early : undefined);
    } finally {
      early.store.destroy();
    }
  });

  it('is never used for an fs target', async () => {
    const early = (await startEarlyRead(rawConfig(), 'staging'))!;
    try {
      const site = resolveConfig({}, root);
      expect(matchEarlyRead(early, site.targets.local!.store, site.deploy)).toBeUndefined();
    } finally {
      early.store.destroy();
    }
  });
});

describe('deploySite with an early read', () => {
  it('plans from the early listing when it matches, and ignores one that does not', async () => {
    const dir = path.join(root, 'plans');
    generateNextSite(path.join(dir, 'out'), SITE);
    const site = resolveConfig(rawConfig({ prefix: 'plans/' }), dir);
    await deploySite(site, { target: 'staging' });

    const early = (await startEarlyRead(rawConfig({ prefix: 'plans/' }), 'staging'))!;
    await early.contents;
    // Put after the early listing was taken: a deploy planning from that listing does not see it.
    const side = new S3Store({ bucket: 'early', prefix: 'plans/', endpoint: s3.endpoint, forcePathStyle: true });
    await side.put('stray.txt', Buffer.from('left by hand'), { contentType: 'text/plain' });
    try {
      const fromEarly = await deploySite(site, { target: 'staging', early });
      expect(fromEarly.totals.delete).toBe(0);
      expect(await side.head('stray.txt')).toBeDefined();
      // An early read of another bucket (one that does not exist) is not used: the deploy lists its own.
      const elsewhere = (await startEarlyRead(rawConfig({ bucket: 'no-such-bucket', prefix: 'plans/' }), 'staging'))!;
      try {
        const own = await deploySite(site, { target: 'staging', early: elsewhere });
        expect(own.actions.filter((a) => a.action === 'delete').map((a) => a.key)).toEqual(['stray.txt']);
        expect(await side.head('stray.txt')).toBeUndefined();
      } finally {
        elsewhere.store.destroy();
      }
      // The store the deploy was handed is not closed by it: the caller still owns it.
      expect((await early.store.head('index.html'))?.contentType).toBe('text/html; charset=utf-8');
    } finally {
      early.store.destroy();
      side.destroy();
    }
  });
});

describe('edgeship deploy to an S3 target', () => {
  const cli = async (dir: string, ...args: string[]) => {
    const io = memoryIo(dir);
    const code = await runCli(args, io);
    return { code, out: io.stdout, err: io.stderr };
  };

  it('deploys, and a redeploy changes nothing', async () => {
    const dir = path.join(root, 'cli');
    const build = generateNextSite(path.join(dir, 'out'), SITE);
    fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(rawConfig({ prefix: 'cli/' })));
    const first = await cli(dir, 'deploy', '--target', 'staging', '--json');
    expect(first.code).toBe(EXIT.ok);
    expect((JSON.parse(first.out) as { totals: { upload: number } }).totals.upload).toBe(build.files.size);
    const again = await cli(dir, 'deploy', '--target', 'staging', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ totals: { upload: 0, updateMetadata: 0, delete: 0, skip: build.files.size } });
  });

  it('reports a config error, not a store error, when the config is invalid', async () => {
    const dir = path.join(root, 'invalid');
    generateNextSite(path.join(dir, 'out'), SITE);
    fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify({ ...rawConfig({ bucket: 'no-such-bucket' }), deploy: { concurency: 4 } }));
    const { code, err } = await cli(dir, 'deploy', '--target', 'staging');
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/deploy\.concurency: unknown key; did you mean "concurrency"\?/);
    expect(err).not.toMatch(/NoSuchBucket|no-such-bucket/);
  });
});
