/**
 * The delete guard on a Next.js-shaped site of about 2,800 objects, 1,500 of them
 * content-hashed chunks that retention keeps: a broken build must not delete the live site.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { EdgeshipError, EXIT } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs-store.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

const SITE = { pages: 1_000, chunks: 1_500, images: 299, chunkBytes: 64, imageBytes: 64, chunksPerPage: 1 };
let root: string;
let storeDir: string;
let snapshot: string;
let variants = 0;
const now = () => new Date('2026-03-01T00:00:00Z');
const model = (site = 'out') => resolveConfig({ site, behaviors: NEXT_BEHAVIORS, deploy: { retainDeploys: 3 } }, root);

async function storeKeys(): Promise<string[]> {
  const out: string[] = [];
  for await (const o of new FsStore(storeDir).list()) out.push(`${o.key} ${o.etag}`);
  return out.sort();
}
async function refusal(run: Promise<unknown>): Promise<EdgeshipError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EdgeshipError);
  return error as EdgeshipError;
}
/** A build folder holding only the keys of the deployed build that `keep` accepts (hard links: no bytes copied). */
function build(keep: (key: string) => boolean): string {
  const name = `build-${++variants}`;
  const walk = (dir: string, prefix: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const key = prefix + e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), `${key}/`);
      else if (keep(key)) {
        const to = path.join(root, name, ...key.split('/'));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.linkSync(path.join(dir, e.name), to);
      }
    }
  };
  walk(path.join(root, 'out'), '');
  return name;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-guard-'));
  storeDir = path.join(root, '.edgeship/store');
  const site = generateNextSite(path.join(root, 'out'), SITE);
  expect(site.files.size).toBe(2_804);
  await deploySite(model(), { now, store: new FsStore(storeDir, { fsync: false }) });
  snapshot = JSON.stringify(await storeKeys());
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the delete guard counts live pages and live non-retained objects', () => {
  it('refuses a build left with only index.html (exit 3, nothing written)', async () => {
    const e = await refusal(deploySite(model(build((k) => k === 'index.html')), { now }));
    expect(e.exitCode).toBe(EXIT.refused);
    // 1,302 deletes: 1,000 pages (404.html among them), 299 images and three top-level files;
    // the 1,500 chunks and the hashed CSS are retained and counted on neither side
    expect(e.message).toMatch(/1000 of 1001 live pages \(99\.9%\) and 1302 of 1303 live objects not kept by retention \(99\.9%\)/);
    expect(JSON.stringify(await storeKeys())).toBe(snapshot);
  });

  it('refuses a build with every page gone, though most objects stay', async () => {
    const e = await refusal(deploySite(model(build((k) => !k.endsWith('.html'))), { now }));
    expect(e.exitCode).toBe(EXIT.refused);
    expect(e.message).toMatch(/1001 of 1001 live pages \(100%\) and 1001 of 2804 live objects/);
    expect(JSON.stringify(await storeKeys())).toBe(snapshot);
  });

  it('refuses a --dry-run of a build holding only robots.txt', async () => {
    const e = await refusal(deploySite(model(build((k) => k === 'robots.txt')), { now, dryRun: true }));
    expect(e.exitCode).toBe(EXIT.refused);
    expect(e.message).toMatch(/1001 of 1001 live pages .* 1302 of 1303 live objects/);
  });

  it('lets a small change through, and --force through a refused one', async () => {
    const small = await deploySite(model(build((k) => !k.startsWith('page-1/') && !k.startsWith('page-2/'))), { now, dryRun: true });
    expect(small.totals.delete).toBe(2);
    const forced = await deploySite(model(build((k) => k === 'index.html')), { now, force: true });
    expect(forced.totals).toMatchObject({ delete: 1_302, retain: 1_501 });
  });
});
