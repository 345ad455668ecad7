import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { MANIFEST_KEY } from '../../src/deploy/manifest.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';
import { brokenPages, runCliKilled, s3rverKeys, startObserver, type Answered } from './observer.js';

/**
 * A deploy killed with SIGKILL in the middle of its apply, twice, then run again: the store
 * converges, and after every request the server answered, no live HTML object named an
 * asset that was missing.
 */
const SITE = { pages: 12, chunks: 16, images: 6, chunkBytes: 2_000, imageBytes: 3_000 };

let s3: S3rverHandle;
let observer: Awaited<ReturnType<typeof startObserver>>;
let root: string;
const violations: string[] = [];
let onAnswered: (a: Answered) => void = () => {};

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  observer = await startObserver(s3.endpoint, (a) => {
    // The store's state at this moment: every live page must find every asset it names.
    if (a.method !== 'GET' && a.method !== 'HEAD') {
      for (const b of brokenPages(s3rverKeys(s3.dir, 'site'))) violations.push(`after ${a.method} ${a.url}: ${b}`);
    }
    onAnswered(a);
  });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-crash-'));
  const config = { site: 'out', behaviors: NEXT_BEHAVIORS, deploy: { concurrency: 2 }, targets: { s3: { store: { type: 's3', bucket: 'site', endpoint: observer.endpoint, forcePathStyle: true } } } };
  fs.writeFileSync(path.join(root, 'edgeship.config.json'), JSON.stringify(config));
});
afterAll(async () => {
  await observer?.stop();
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const model = () => resolveConfig(JSON.parse(fs.readFileSync(path.join(root, 'edgeship.config.json'), 'utf8')), root);

const runCli = (killWhen: (a: Answered) => boolean) => runCliKilled(root, (hook) => (onAnswered = hook ?? (() => {})), killWhen);

const isObjectPut = (a: Answered, test: (key: string) => boolean) => a.method === 'PUT' && a.status === 200 && test(decodeURIComponent(a.url.split('?')[0]!.replace(/^\/site\//, '')));

describe('a deploy killed mid-apply (SIGKILL) and run again', () => {
  it('converges, and never leaves a live page without its assets', async () => {
    const v1 = generateNextSite(path.join(root, 'out'), SITE);
    await deploySite(model(), { target: 's3' });
    expect(violations).toEqual([]);

    // A rebuild: changed chunks get new names, changed pages point at them, one page is gone.
    const v2 = generateNextSite(path.join(root, 'out'), { ...SITE, rev: 1, changed: 0.5, removedPages: 1 });

    // Killed in the immutable phase, after two new chunks landed.
    let puts = 0;
    const first = await runCli((a) => isObjectPut(a, (k) => k.startsWith('_next/')) && ++puts === 2);
    expect(first, first.stderr).toMatchObject({ signal: 'SIGKILL' });

    // Killed in the HTML phase, after the first new page landed.
    const second = await runCli((a) => isObjectPut(a, (k) => k.endsWith('.html')));
    expect(second, second.stderr).toMatchObject({ signal: 'SIGKILL' });
    // The kill came before the manifest and the deletes: the removed page is still there.
    expect(s3rverKeys(s3.dir, 'site').has('index.html')).toBe(true);

    // The re-run finishes the job.
    const third = await deploySite(model(), { target: 's3' });
    expect(third.totals.delete).toBe(1);
    const live = [...s3rverKeys(s3.dir, 'site').keys()].sort();
    const retained = third.actions.filter((a) => a.action === 'retain').map((a) => a.key);
    expect(retained.length).toBeGreaterThan(0);
    expect(live).toEqual([...new Set([...v2.files.keys(), ...retained, MANIFEST_KEY])].sort());
    expect(live).not.toContain('index.html'); // page 0 was removed in v2
    expect(v1.files.has('index.html')).toBe(true);

    // Converged: one more run changes nothing.
    const fourth = await deploySite(model(), { target: 's3' });
    expect(fourth.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0 });

    expect(violations).toEqual([]);
  }, 120_000);
});
