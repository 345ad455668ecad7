/**
 * A deploy killed (SIGKILL, the real CLI in a child process) at three moments, then run again:
 * the re-run does only what was left, as its journal of the interrupted deploy's writes says.
 * Requests of each re-run are counted at a pass-through proxy on 127.0.0.1 in front of s3rver.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite, type DeployReport } from '../../src/deploy/deploy.js';
import { JOURNAL_EVERY, JOURNAL_KEY } from '../../src/deploy/journal.js';
import { MANIFEST_KEY } from '../../src/deploy/manifest.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';
import { runCliKilled, s3rverKeys, startObserver, type Answered } from './observer.js';

const SITE = { pages: 40, chunks: 110, images: 10, chunkBytes: 200, imageBytes: 300 };

let s3: S3rverHandle;
let observer: Awaited<ReturnType<typeof startObserver>>;
let root: string;
let onAnswered: (a: Answered) => void = () => {};

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'site' });
  observer = await startObserver(s3.endpoint, (a) => onAnswered(a));
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-resume-'));
});
afterAll(async () => {
  await observer?.stop();
  await s3?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function project(prefix: string) {
  const dir = path.join(root, prefix);
  fs.mkdirSync(dir, { recursive: true });
  const config = { site: 'out', behaviors: NEXT_BEHAVIORS, deploy: { concurrency: 4 }, targets: { s3: { store: { type: 's3', bucket: 'site', prefix: `${prefix}/`, endpoint: observer.endpoint, forcePathStyle: true } } } };
  fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(config));
  return { dir, model: () => resolveConfig(config, dir), keys: () => [...s3rverKeys(s3.dir, 'site').keys()].filter((k) => k.startsWith(`${prefix}/`)).map((k) => k.slice(prefix.length + 1)) };
}

const objectKey = (a: Answered, prefix: string) => decodeURIComponent(a.url.split('?')[0]!.replace(`/site/${prefix}/`, ''));

/** The real CLI, SIGKILLed once `killWhen` says so. */
async function deployKilled(dir: string, killWhen: (a: Answered) => boolean): Promise<void> {
  const run = await runCliKilled(dir, (hook) => (onAnswered = hook ?? (() => {})), killWhen);
  expect(run.signal, run.stderr).toBe('SIGKILL');
}

/** The re-run, in process, with the requests it sent. */
async function resume(model: ReturnType<typeof project>['model']): Promise<{ report: DeployReport; requests: number }> {
  let requests = 0;
  onAnswered = () => requests++;
  const report = await deploySite(model(), { target: 's3' });
  onAnswered = () => {};
  return { report, requests };
}

const isPut = (a: Answered) => a.method === 'PUT' && a.status === 200 && !a.url.includes('.edgeship');

describe('a deploy killed and run again does only what was left', () => {
  it.each([
    ['in the immutable phase, after 105 objects', (k: string) => k.startsWith('_next/') || k.startsWith('images/'), 105],
    ['in the HTML phase, after 25 pages', (k: string) => k.endsWith('.html'), 25],
  ])('killed %s: the re-run writes at most the rest and one journal batch', async (label, counts, after) => {
    const p = project(`first-${label.length}`);
    const site = generateNextSite(path.join(p.dir, 'out'), SITE);
    let landed = 0;
    let counted = 0;
    await deployKilled(p.dir, (a) => {
      if (!isPut(a)) return false;
      landed++;
      return counts(objectKey(a, `first-${label.length}`)) && ++counted === after;
    });
    expect(p.keys()).toContain(JOURNAL_KEY);
    const { report, requests } = await resume(p.model);
    const sent = report.totals.upload + report.totals.updateMetadata;
    // Without the journal every object that landed was copied again to set its headers.
    expect(sent).toBeLessThanOrEqual(site.files.size - landed + JOURNAL_EVERY);
    expect(report.totals.updateMetadata).toBeLessThan(JOURNAL_EVERY);
    expect(requests).toBeLessThan(site.files.size - landed + JOURNAL_EVERY + 20);
    expect(p.keys().sort()).toEqual([...site.files.keys(), MANIFEST_KEY].sort());
    console.log(`resume after a kill ${label}: ${landed} objects had landed of ${site.files.size}; the re-run sent ${report.totals.upload} uploads, ${report.totals.updateMetadata} copies, ${requests} requests in all`);
  }, 120_000);

  it('killed after the manifest, before the deletes: the re-run only deletes', async () => {
    const p = project('after-manifest');
    generateNextSite(path.join(p.dir, 'out'), SITE);
    await deploySite(p.model(), { target: 's3' });
    const v2 = generateNextSite(path.join(p.dir, 'out'), { ...SITE, rev: 1, changed: 0.1, removedPages: 3 });
    await deployKilled(p.dir, (a) => a.method === 'PUT' && objectKey(a, 'after-manifest') === MANIFEST_KEY);
    const { report, requests } = await resume(p.model);
    expect(report.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 3 });
    expect(requests).toBeLessThan(20);
    expect(p.keys().filter((k) => !k.startsWith('_next/static/chunks/')).sort()).toEqual([...v2.files.keys(), MANIFEST_KEY].filter((k) => !k.startsWith('_next/static/chunks/')).sort());
    console.log(`resume after a kill after the manifest: ${requests} requests`);
  }, 120_000);
});
