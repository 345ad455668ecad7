/**
 * Fixture sites served by the real local edge: objects written into an FsStore with the headers
 * `compileTable(site).objectHeaders(key)` gives (as deploy writes them), unless a fixture
 * deliberately overrides them, then `startEdge` on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileTable } from '../../src/behavior/table.js';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';
import type { EdgeFunction } from '../../src/edge/contracts.js';
import { loadEdgeFunction } from '../../src/edge/functions/index.js';
import { DISTRIBUTION_DOMAIN, startEdge } from '../../src/edge/index.js';
import { SiteKvsSource } from '../../src/edge/site-kvs-source.js';
import { siteHasKvs } from '../../src/kvs/site.js';
import { FsStore } from '../../src/store/fs-store.js';
import type { ObjectStore } from '../../src/store/types.js';

const FUNCTION_TIME_LIMIT_MS = 2_000;

export interface FixtureFile {
  body: string | Buffer;
  /** Overrides of what deploy would store (a broken upload). */
  contentType?: string;
  cacheControl?: string;
}

export interface Fixture {
  config: EdgeshipConfig;
  /** Object keys -> contents. */
  files: Record<string, string | Buffer | FixtureFile>;
  /** Files beside the config (CloudFront Functions), relative path -> source. */
  sources?: Record<string, string>;
}

export interface ServedFixture {
  url: string;
  dir: string;
  site: SiteModel;
  store: ObjectStore;
  close(): Promise<void>;
}

export async function serveFixture(fixture: Fixture, options: { announce?: boolean; store?: ObjectStore } = {}): Promise<ServedFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-audit-'));
  for (const [rel, text] of Object.entries(fixture.sources ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(fixture.config, null, 2));
  const site = resolveConfig(fixture.config, dir, path.join(dir, 'edgeship.config.json'));
  const localStore = site.targets.local!.store;
  if (localStore.type !== 'fs') throw new Error('the local target is an fs store');
  const store = options.store ?? new FsStore(localStore.dir, { fsync: false });
  const table = compileTable(site);
  for (const [key, file] of Object.entries(fixture.files)) {
    const f: FixtureFile = typeof file === 'string' || Buffer.isBuffer(file) ? { body: file } : file;
    const headers = table.objectHeaders(key);
    await store.put(key, Buffer.from(f.body), { contentType: f.contentType ?? headers.contentType, cacheControl: f.cacheControl ?? headers.cacheControl });
  }
  const edge = await startEdge({ site, store, port: 0, functions: await loadFunctions(site, store), announce: options.announce ?? false });
  return {
    url: edge.url,
    dir,
    site,
    store,
    async close() {
      await edge.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The site's CloudFront Functions, loaded as the edge loads them but with a roomier time limit
 * and compute budget (as the runtime's own tests use): the runtime's 50 ms is wall-clock, and a
 * test machine running suites in parallel can pause the process longer than that, which would
 * turn a page into a 503 at random.
 */
export async function loadFunctions(site: SiteModel, store?: ObjectStore): Promise<Map<string, EdgeFunction>> {
  // An atomic site's functions read the deploy pointer the deploy wrote into the store.
  const kvs = store && siteHasKvs(site) ? new SiteKvsSource(store, undefined) : undefined;
  await kvs?.refresh();
  const functions = new Map<string, EdgeFunction>();
  for (const ref of compileTable(site).functions) {
    functions.set(ref.file, await loadEdgeFunction(ref.file, { name: ref.name, distributionDomainName: DISTRIBUTION_DOMAIN, timeLimitMs: FUNCTION_TIME_LIMIT_MS, computeBudgetUs: 20_000, kvs }));
  }
  return functions;
}
