/**
 * Atomic deploys end to end on a real Next.js export (test/fixtures/sites/next-default, with its
 * _next/static chunks), through the CLI, served by the local edge from the fs store and from an
 * S3 endpoint (s3rver on 127.0.0.1): a switch while requests run, a rollback, a preview by
 * Host, pruning that keeps what a pointer refers to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFiles } from '../../src/cli/init.js';
import { readConfig } from '../../src/config/file.js';
import { resolveConfig } from '../../src/config/load.js';
import { detectProject } from '../../src/config/detect/detect.js';
import { readProjectFacts } from '../../src/config/detect/facts.js';
import { renderUrlHandler } from '../../src/config/presets/url-handler.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { openStore } from '../../src/store/open.js';
import type { ObjectStore } from '../../src/store/types.js';
import { cli } from '../helpers/cli.js';
import { copySite } from '../helpers/framework-sites.js';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.js';
import { request } from '../edge/fixture.js';

const PREVIEW_DOMAIN = 'preview.example.com';
const ASSET = /\/_next\/static\/[A-Za-z0-9_./-]+\.(?:js|css)/g;

/** Writes what `init` writes for an atomic site, with a preview domain and an extra S3 target. */
async function atomicProject(s3?: S3rverHandle): Promise<string> {
  const dir = copySite('next-default');
  const detection = detectProject(await readProjectFacts(dir));
  const files = initFiles(detection, 'example.com', { atomic: true });
  let config = files['edgeship.config.ts']!.replace('atomic: true', `atomic: true, retainDeploys: 1, previewDomain: '${PREVIEW_DOMAIN}'`);
  if (s3) config = config.replace('targets: {\n', `targets: {\n    s3: { store: { type: 's3', bucket: '${s3.bucket}', endpoint: '${s3.endpoint}', forcePathStyle: true } },\n`);
  fs.writeFileSync(path.join(dir, 'edgeship.config.ts'), config);
  fs.mkdirSync(path.join(dir, 'edge'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), renderUrlHandler('example.com', ['www.example.com'], detection.url, { atomic: true, previewDomain: PREVIEW_DOMAIN }));
  return dir;
}

/** A new build: one stylesheet renamed (a new content hash) in every file that names it, and a marker in the home page. */
function rebuild(dir: string, version: string): void {
  const out = path.join(dir, 'out');
  const chunks = path.join(out, '_next/static/chunks');
  const css = fs.readdirSync(chunks).find((f) => f.endsWith('.css'))!;
  const renamed = `${version}${css.slice(version.length)}`;
  fs.renameSync(path.join(chunks, css), path.join(chunks, renamed));
  for (const file of fs.readdirSync(out, { recursive: true, encoding: 'utf8' })) {
    const abs = path.join(out, file);
    if (!/\.(html|txt)$/.test(file) || !fs.statSync(abs).isFile()) continue;
    fs.writeFileSync(abs, fs.readFileSync(abs, 'utf8').replaceAll(css, renamed));
  }
  const index = path.join(out, 'index.html');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace(/<meta name="build" content="[^"]+">/, '').replace('<body', `<meta name="build" content="${version}"><body`));
}

const buildOf = (html: string) => /<meta name="build" content="([^"]+)">/.exec(html)?.[1] ?? 'v1';

async function json(dir: string, ...args: string[]) {
  const r = await cli(dir, ...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown> & { atomic: { id: number } };
}

/** Objects outside `.edgeship/` with their ETags: what a rollback must not change. */
async function objects(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list()) if (!o.key.startsWith('.edgeship/')) out.push(`${o.key} ${o.etag}`);
  return out.sort();
}

describe.each(['fs', 's3'] as const)('atomic deploys on the local edge (%s store)', (kind) => {
  let dir: string;
  let s3: S3rverHandle | undefined;
  let edge: RunningEdge;
  let store: ObjectStore;
  const target = kind === 'fs' ? 'local' : 's3';
  const get = (p: string, host = 'example.com') => request(`${edge.url}${p}`, { headers: { host } });

  beforeAll(async () => {
    if (kind === 's3') s3 = await startS3rver();
    dir = await atomicProject(s3);
    expect((await cli(dir, 'deploy', '--target', target)).code).toBe(0);
    const config = await readConfig({ cwd: dir });
    const site = resolveConfig(config.raw, config.rootDir, config.file);
    store = openStore(site.targets[target]!.store);
    edge = await startEdge({ site, store, port: 0, announce: false });
  }, 60_000);
  afterAll(async () => {
    await edge?.close();
    (store as { destroy?: () => void } | undefined)?.destroy?.();
    await s3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves deploy 1 from its prefix, with every asset the page names', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    const assets = [...new Set(page.body.toString().match(ASSET))];
    expect(assets.length).toBeGreaterThan(3);
    for (const a of assets) expect((await get(a)).status, a).toBe(200);
  });

  it('a switch while requests run: every page comes with its own assets, and the new build shows without an invalidation', async () => {
    rebuild(dir, 'v2');
    const seen = new Set<string>();
    const broken: string[] = [];
    let deployed = false;
    // Bounded: at most 300 rounds per worker and 30 s, and it stops once the new build was seen after the deploy.
    const until = Date.now() + 30_000;
    const worker = async () => {
      for (let i = 0; i < 300 && Date.now() < until && !(deployed && seen.has('v2')); i++) {
        const page = await get('/');
        const html = page.body.toString();
        seen.add(buildOf(html));
        for (const a of new Set(html.match(ASSET))) {
          const r = await get(a);
          if (r.status !== 200) broken.push(`${buildOf(html)} ${a} ${r.status}`);
        }
        if (deployed) await edge.refreshKvs();
      }
    };
    const workers = [worker(), worker(), worker()];
    const report = await json(dir, 'deploy', '--target', target);
    deployed = true;
    await Promise.all(workers);
    expect(broken).toEqual([]);
    expect(seen.has('v2')).toBe(true);
    expect(report.atomic.id).toBe(2);
    // Only the error page, which CloudFront fetches without the function, is replaced in place (and invalidated).
    expect((report.invalidation as { paths: string[] }).paths.filter((p) => !p.startsWith('/404'))).toEqual([]);
    // The chunks were shared: only the renamed stylesheet among them was uploaded.
    const uploads = (report.actions as { key: string; action: string }[]).filter((a) => a.action === 'upload').map((a) => a.key);
    expect(uploads.filter((k) => k.startsWith('_next/'))).toEqual([expect.stringMatching(/^_next\/static\/chunks\/v2.*\.css$/)]);
    expect(uploads.filter((k) => !k.startsWith('_next/')).every((k) => k.startsWith('_deploys/2/') || k === '404.html' || k === '_not-found.html')).toBe(true);
  }, 60_000);

  it('rollback to deploy 1: no upload, one pointer write, the old page served at once', async () => {
    const before = await objects(store);
    const r = await cli(dir, 'rollback', '1', '--target', target, '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/live on .*: deploy #1 \(was #2\)/);
    expect(r.stdout).toMatch(/time {6}\d+ ms from the command to the pointer written \(\d+ ms of it to open the store, lock, read and write\)/);
    expect(await objects(store)).toEqual(before);
    await edge.refreshKvs();
    expect(buildOf((await get('/')).body.toString())).toBe('v1');
    const list = await json(dir, 'deploys', '--target', target);
    expect((list.deploys as { id: number; live: boolean }[]).map((d) => `${d.id}${d.live ? '*' : ''}`)).toEqual(['2', '1*']);
  });

  it('a preview is served by its Host while the live site stays as it is', async () => {
    rebuild(dir, 'v3');
    const report = await json(dir, 'deploy', '--target', target, '--preview', 'feature-a');
    expect(report.atomic).toMatchObject({ id: 3, preview: { host: `feature-a.${PREVIEW_DOMAIN}` } });
    await edge.refreshKvs();
    expect(buildOf((await get('/', `feature-a.${PREVIEW_DOMAIN}`)).body.toString())).toBe('v3');
    expect(buildOf((await get('/')).body.toString())).toBe('v1');
    const previews = await json(dir, 'previews', '--target', target);
    expect(previews.previews).toEqual([expect.objectContaining({ host: `feature-a.${PREVIEW_DOMAIN}`, id: 3, name: 'feature-a' })]);
  }, 60_000);

  it('pruning keeps every deploy a pointer refers to, and a pruned id is refused naming the oldest kept', async () => {
    const ids = async () => [...new Set((await objects(store)).map((o) => /^_deploys\/(\d+)\//.exec(o)?.[1]).filter(Boolean))].sort();
    rebuild(dir, 'v4');
    // retainDeploys 1. Deploy 4 keeps 1 (live when it started), 2 (the window), 3 (a preview's).
    expect((await json(dir, 'deploy', '--target', target)).atomic.id).toBe(4);
    expect(await ids()).toEqual(['1', '2', '3', '4']);
    rebuild(dir, 'v5');
    // Deploy 5 keeps 4 (live when it started, and the window) and 3 (the preview); 1 and 2 go.
    expect((await json(dir, 'deploy', '--target', target)).atomic.id).toBe(5);
    expect(await ids()).toEqual(['3', '4', '5']);
    const refused = await cli(dir, 'rollback', '1', '--target', target, '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/deploy #1 was pruned: its files are gone; the oldest available is #4/);

    expect((await cli(dir, 'previews', '--prune', '--target', target)).code).toBe(2); // no terminal: --yes or --dry-run
    const dry = await json(dir, 'previews', '--prune', '--dry-run', '--target', target);
    expect(dry).toMatchObject({ dryRun: true, prunedDeploys: [3] });
    expect(await ids()).toEqual(['3', '4', '5']);
    await json(dir, 'previews', '--prune', '--yes', '--target', target);
    expect(await ids()).toEqual(['4', '5']);
    await edge.refreshKvs();
    expect((await get('/', `feature-a.${PREVIEW_DOMAIN}`)).status).toBe(404);
    expect(buildOf((await get('/')).body.toString())).toBe('v5');
  }, 60_000);
});
