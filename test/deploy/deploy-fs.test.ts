import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite, type DeployReport } from '../../src/deploy/deploy.js';
import { covers } from '../../src/deploy/invalidation-paths.js';
import { MANIFEST_KEY, readManifest } from '../../src/deploy/manifest.js';
import { INVALIDATION_LOG_FILE } from '../../src/edge/contracts.js';
import { EXIT } from '../../src/errors.js';
import { FsStore } from '../../src/store/fs-store.js';
import { generateNextSite } from '../helpers/next-site.js';
import { NEXT_BEHAVIORS } from './fixtures.js';

let root: string;
let siteDir: string;
const SITE = { pages: 6, chunks: 8, images: 4, chunkBytes: 300, imageBytes: 500 };

function model(extra: Record<string, unknown> = {}): SiteModel {
  return resolveConfig({ site: 'out', behaviors: NEXT_BEHAVIORS, ...extra }, root);
}
const store = () => new FsStore(path.join(root, '.edgeship/store'));
async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store().list()) out.push(o.key);
  return out.sort();
}
const byAction = (r: DeployReport, action: string) => r.actions.filter((a) => a.action === action).map((a) => a.key).sort();
let clock = new Date('2026-03-01T00:00:00Z');
const now = () => clock;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-deploy-'));
  siteDir = path.join(root, 'out');
  clock = new Date('2026-03-01T00:00:00Z');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('deploySite to the embedded store (target local)', () => {
  it('uploads the whole site with the headers of the behavior table, then writes the manifest', async () => {
    const site = generateNextSite(siteDir, SITE);
    const report = await deploySite(model(), { now });
    expect(report.totals).toMatchObject({ upload: site.files.size, delete: 0, skip: 0, bytesUploaded: site.bytes });
    expect(await keys()).toEqual([...site.files.keys(), MANIFEST_KEY].sort());
    const s = store();
    expect((await s.head('index.html'))?.cacheControl).toBe('public, max-age=0, s-maxage=300, must-revalidate');
    expect((await s.head('index.html'))?.contentType).toBe('text/html; charset=utf-8');
    expect((await s.head('images/photo-0.jpg'))?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect((await s.head('.well-known/security.txt'))?.contentType).toBe('text/plain; charset=utf-8');
    const manifest = await readManifest(s);
    expect(manifest.deploys).toEqual([{ id: 1, at: clock.toISOString() }]);
    expect(Object.keys(manifest.entries).length).toBe(site.files.size);
    // a first deploy replaces nothing: nothing to invalidate
    expect(report.invalidation).toEqual({ paths: [], via: 'none' });
  });

  it('re-hashes and uploads nothing when nothing changed', async () => {
    const site = generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    const again = await deploySite(model(), { now });
    expect(again.totals).toMatchObject({ upload: 0, updateMetadata: 0, delete: 0, skip: site.files.size, bytesUploaded: 0 });
    expect(again.scan).toMatchObject({ hashed: 0, fromCache: site.files.size });
  });

  it('after a rebuild that rewrites every file, uploads only the changed bytes, retains old chunks and invalidates changed pages', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    const v2 = generateNextSite(siteDir, { ...SITE, rev: 1, changed: 0.3 });
    clock = new Date('2026-03-02T00:00:00Z');
    const report = await deploySite(model(), { now });
    const uploaded = byAction(report, 'upload');
    expect(uploaded.length).toBeGreaterThan(0);
    expect(uploaded.length).toBeLessThan(v2.files.size / 2);
    // every uploaded key is new or has new bytes; nothing else was sent
    expect(report.totals.bytesUploaded).toBe(uploaded.reduce((n, k) => n + v2.files.get(k)!, 0));
    // changed chunks have new names: the old ones are retained, not deleted
    const retained = byAction(report, 'retain');
    expect(retained.length).toBeGreaterThan(0);
    expect(retained.every((k) => k.startsWith('_next/static/chunks/'))).toBe(true);
    expect(byAction(report, 'delete')).toEqual([]);
    for (const k of retained) expect(await store().head(k)).toBeDefined();
    // changed pages are invalidated in all their forms, and recorded for the local edge
    const changedPages = uploaded.filter((k) => k.endsWith('.html'));
    for (const page of changedPages.filter((k) => k !== 'index.html')) {
      const dir = `/${page.slice(0, -'/index.html'.length)}`;
      for (const p of [dir, `${dir}/`, `/${page}`]) expect(covers(report.invalidation.paths, p)).toBe(true);
    }
    const unchangedPages = [...v2.files.keys()].filter((k) => k.endsWith('/index.html') && !uploaded.includes(k));
    expect(unchangedPages.length).toBeGreaterThan(0);
    for (const page of unchangedPages) expect(covers(report.invalidation.paths, `/${page}`)).toBe(false);
    expect(report.invalidation.via).toBe('recorded');
    const log = fs.readFileSync(path.join(root, '.edgeship', INVALIDATION_LOG_FILE), 'utf8').trim().split('\n');
    expect(JSON.parse(log.at(-1)!)).toMatchObject({ paths: report.invalidation.paths, delivered: false, storeLocation: store().location });
  });

  it('applies a changed Cache-Control rule to unchanged files by a metadata update, without re-uploading', async () => {
    const site = generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    const changedTable = [NEXT_BEHAVIORS[0]!, NEXT_BEHAVIORS[1]!, { path: '*', cache: { edge: 600, browser: 60 } }];
    const report = await deploySite(model({ behaviors: changedTable }), { now });
    const short = [...site.files.keys()].filter((k) => !k.startsWith('_next/static/') && !k.startsWith('images/'));
    expect(byAction(report, 'update-metadata')).toEqual(short.sort());
    expect(report.totals.bytesUploaded).toBe(0);
    expect((await store().head('index.html'))?.cacheControl).toBe('public, max-age=60, s-maxage=600');
    expect(report.actions.find((a) => a.key === 'index.html')?.reason).toMatch(/cache-control .* -> "public, max-age=60, s-maxage=600"/);
    expect(report.invalidation.paths.length).toBeGreaterThan(0);
  });

  it('invalidates objects whose rule moved from a year to a day: the edge holds them under the old TTL', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    const moved = [NEXT_BEHAVIORS[0]!, { path: 'images/*', cache: { edge: '1d', browser: '1h' } }, NEXT_BEHAVIORS[2]!];
    const report = await deploySite(model({ behaviors: moved }), { now });
    const images = byAction(report, 'update-metadata');
    expect(images.length).toBe(SITE.images);
    expect(images.every((k) => k.startsWith('images/'))).toBe(true);
    for (const key of images) expect(covers(report.invalidation.paths, `/${key}`)).toBe(true);
  });

  it('deletes a removed page and a removed image after the rest is live', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    fs.rmSync(path.join(siteDir, 'page-5'), { recursive: true });
    fs.rmSync(path.join(siteDir, 'images/photo-3.jpg'));
    const report = await deploySite(model(), { now });
    expect(byAction(report, 'delete')).toEqual(['images/photo-3.jpg', 'page-5/index.html']);
    expect(await store().head('page-5/index.html')).toBeUndefined();
    expect(await store().head('images/photo-3.jpg')).toBeUndefined();
  });

  it('deletes retained chunks once the retention window and the last deploys have passed', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model({ deploy: { retain: '1d', retainDeploys: 1 } }), { now });
    generateNextSite(siteDir, { ...SITE, rev: 1, changed: 0.5 });
    const r2 = await deploySite(model({ deploy: { retain: '1d', retainDeploys: 1 } }), { now });
    const retained = byAction(r2, 'retain');
    expect(retained.length).toBeGreaterThan(0);
    clock = new Date('2026-03-03T00:00:00Z');
    const r3 = await deploySite(model({ deploy: { retain: '1d', retainDeploys: 1 } }), { now });
    expect(byAction(r3, 'delete')).toEqual(retained);
    for (const k of retained) expect(await store().head(k)).toBeUndefined();
  });

  it('--dry-run plans everything and writes nothing', async () => {
    const site = generateNextSite(siteDir, SITE);
    const report = await deploySite(model(), { now, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.totals.upload).toBe(site.files.size);
    expect(await keys()).toEqual([]);
  });

  it('refuses a missing or empty site folder with exit 2 and deletes nothing', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    const before = await keys();
    fs.rmSync(siteDir, { recursive: true });
    await expect(deploySite(model(), { now })).rejects.toMatchObject({ code: 'DEPLOY_NO_SITE', exitCode: EXIT.usage });
    fs.mkdirSync(siteDir);
    await expect(deploySite(model(), { now })).rejects.toMatchObject({ code: 'DEPLOY_EMPTY_SITE', exitCode: EXIT.usage });
    expect(await keys()).toEqual(before);
  });

  it('refuses a plan deleting more than maxDeleteRatio with exit 3, and applies it with force', async () => {
    generateNextSite(siteDir, SITE);
    await deploySite(model(), { now });
    fs.rmSync(path.join(siteDir, 'images'), { recursive: true });
    for (let p = 1; p < 6; p++) fs.rmSync(path.join(siteDir, `page-${p}`), { recursive: true });
    const before = await keys();
    await expect(deploySite(model({ deploy: { maxDeleteRatio: 0.2 } }), { now })).rejects.toMatchObject({ code: 'DEPLOY_TOO_MANY_DELETES', exitCode: EXIT.refused });
    expect(await keys()).toEqual(before);
    const forced = await deploySite(model({ deploy: { maxDeleteRatio: 0.2 } }), { now, force: true });
    expect(forced.totals.delete).toBe(9);
  });

  it('leaves keys that deploy.exclude names alone in the store: neither uploaded nor deleted', async () => {
    generateNextSite(siteDir, SITE);
    fs.writeFileSync(path.join(siteDir, 'app.js.map'), 'map');
    await deploySite(model(), { now });
    const report = await deploySite(model({ deploy: { exclude: ['*.map'] } }), { now });
    expect(report.actions.find((a) => a.key === 'app.js.map')).toBeUndefined();
    expect(report.scan.excluded).toBe(1);
    expect(await store().head('app.js.map')).toBeDefined();
  });

  it('names an unknown target (exit 2)', async () => {
    generateNextSite(siteDir, SITE);
    await expect(deploySite(model(), { target: 'prod' })).rejects.toMatchObject({ code: 'DEPLOY_UNKNOWN_TARGET', exitCode: EXIT.usage, message: expect.stringMatching(/"local"/) });
  });
});
