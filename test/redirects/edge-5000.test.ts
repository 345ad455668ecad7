/**
 * A 5,000-rule `_redirects` end to end: deployed to the embedded store, served by the local
 * edge on 127.0.0.1 through the url-handler `init` writes. Every rule is requested once and
 * must answer its status and Location (or the page of its rewrite); each request reads the
 * KeyValueStore once; the compiled function stays under CloudFront's 10 KB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/behavior/table.js';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { SiteKvsSource } from '../../src/edge/site-kvs-source.js';
import { MAX_CODE_BYTES } from '../../src/edge/functions/source.js';
import { loadEdgeFunction } from '../../src/edge/functions/runtime.js';
import { FsStore } from '../../src/store/fs-store.js';
import { request } from '../edge/fixture.js';

const STATUSES = [301, 302, 303, 307, 308] as const;
const EXACT = 4_960;
const PATTERNS = 20;

interface Case {
  url: string;
  status: number;
  location?: string;
  body?: string;
}

/** The rules and, for each, one request and its answer. */
function rulesAndCases(): { text: string; cases: Case[] } {
  const lines: string[] = ['# 5,000 rules: exact paths first, then splats and placeholders'];
  const cases: Case[] = [];
  for (let i = 0; i < EXACT; i++) {
    if (i % 100 === 0) {
      lines.push(`/promo-${i} /landing/ 200`);
      cases.push({ url: `/promo-${i}`, status: 200, body: 'landing' });
      continue;
    }
    const status = STATUSES[i % STATUSES.length]!;
    lines.push(`/old/page-${i}.php /new/page-${i}/ ${status}`);
    // Every seventh request carries a query string, which the redirect keeps.
    cases.push(i % 7 === 0 ? { url: `/old/page-${i}.php?ref=r${i}`, status, location: `/new/page-${i}/?ref=r${i}` } : { url: `/old/page-${i}.php`, status, location: `/new/page-${i}/` });
  }
  for (let j = 0; j < PATTERNS; j++) {
    lines.push(`/cat-${j}/* /category/${j}/:splat 301`);
    cases.push({ url: `/cat-${j}/a/b.html`, status: 301, location: `/category/${j}/a/b.html` });
    lines.push(`/y${j}/:year/:slug /archive/${j}/:year-:slug 302`);
    cases.push({ url: `/y${j}/2024/hello`, status: 302, location: `/archive/${j}/2024-hello` });
  }
  return { text: `${lines.join('\n')}\n`, cases };
}

describe('5,000 _redirects rules at the local edge', () => {
  let root: string;
  let edge: RunningEdge;
  let cases: Case[];
  let reads = 0;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-5000-'));
    const built = rulesAndCases();
    cases = built.cases;
    const files: Record<string, string> = {
      'out/index.html': 'home',
      'out/landing/index.html': 'landing',
      'out/_redirects': built.text,
      'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const site = resolveConfig({ site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] }, root);
    expect(site.redirects?.rules).toHaveLength(EXACT + 2 * PATTERNS);
    await deploySite(site);
    // The url-handler loaded as the edge loads it, over the store's KeyValueStore data with a
    // count of its reads. lenientCompute and no time limit: each request runs the function
    // exactly once (no second run to re-measure a slow one on this loaded machine), so the
    // reads are counted per request.
    const store = new FsStore(path.join(root, '.edgeship/store'));
    const data = new SiteKvsSource(store, undefined);
    await data.refresh();
    const counted = { version: () => (reads++, data.version()), snapshot: () => data.snapshot() };
    const file = compileTable(site).functions[0]!.file;
    const fn = await loadEdgeFunction(file, { kvs: counted, lenientCompute: true, timeLimitMs: 0 });
    edge = await startEdge({ site, store, port: 0, announce: false, functions: new Map([[file, fn]]) });
  }, 120_000);
  afterAll(async () => {
    await edge?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the compiled function is under 10 KB and holds only the pattern rules', () => {
    const compiled = path.join(root, '.edgeship/functions/url-handler.js');
    const code = fs.readFileSync(compiled, 'utf8');
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(MAX_CODE_BYTES);
    expect(code).toContain('"^/cat-19(?:/(.*))?$"');
    expect(code).not.toContain('/old/page-1.php');
  });

  it('answers every rule right, with one KeyValueStore read per request', async () => {
    // Every get() of the function asks the store's data for its version once (prelude.ts).
    reads = 0;
    const wrong: string[] = [];
    let next = 0;
    // Eight requests at a time; the loop ends when every case has been asked once.
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const reply = await request(`${edge.url}${c.url}`);
        const location = reply.headers.location;
        const ok = reply.status === c.status && (c.location === undefined ? reply.body.toString() === c.body : location === c.location);
        if (!ok) wrong.push(`${c.url}: ${reply.status} ${location ?? reply.body.toString().slice(0, 40)} (want ${c.status} ${c.location ?? c.body})`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(reads).toBe(cases.length);
  }, 300_000);
});
