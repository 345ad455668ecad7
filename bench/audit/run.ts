/**
 * Audit benchmark: how fast `auditSite` crawls and checks a generated Next.js-export-shaped site
 * served by the local edge on 127.0.0.1, at several concurrencies (store keys included, second
 * pass on).
 *
 *   node --import jiti/register bench/audit/run.ts [--small]
 *
 * Bounded: the process stops itself after 4 minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditSite } from '../../src/audit/index.js';
import { compileTable } from '../../src/behavior/table.js';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import { nextjsExport } from '../../src/config/presets/index.js';
import { startEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';
import { generateNextSite } from '../../test/helpers/next-site.js';

const LIMIT_MS = 4 * 60_000;
setTimeout(() => {
  console.error(`bench/audit: stopped after ${LIMIT_MS / 1000} s`);
  process.exit(1);
}, LIMIT_MS).unref();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, 'bench/.work/audit');
const small = process.argv.includes('--small');
const options = small
  ? { pages: 40, chunks: 60, images: 40, chunkBytes: 8_000, imageBytes: 20_000 }
  : { pages: 200, chunks: 300, images: 200, chunkBytes: 20_000, imageBytes: 40_000 };

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, 'edge'), { recursive: true });
fs.writeFileSync(path.join(work, 'edge/url-handler.js'), presetFiles('nextjs-export', 'example.com')['edge/url-handler.js']!);
const generated = generateNextSite(path.join(work, 'out'), options);
const site = resolveConfig(nextjsExport({ domain: 'example.com' }), work);
const table = compileTable(site);
const store = new FsStore(path.join(work, '.edgeship/store'), { fsync: false });
for (const key of generated.files.keys()) {
  const h = table.objectHeaders(key);
  await store.put(key, fs.readFileSync(path.join(work, 'out', key)), { contentType: h.contentType, cacheControl: h.cacheControl });
}

console.log(`site: ${generated.files.size} objects, ${(generated.bytes / 1e6).toFixed(1)} MB (${options.pages} pages); node ${process.version}`);
console.log('| concurrency | URLs requested | second-pass requests | time (s) | requests/s | findings by rule |');
console.log('|---:|---:|---:|---:|---:|---|');
for (const concurrency of [1, 4, 8, 16]) {
  // A fresh edge each run, so that every run starts with a cold cache.
  const edge = await startEdge({ site, store, port: 0, announce: false });
  try {
    const started = performance.now();
    const report = await auditSite({ baseUrl: edge.url, site, store, maxPages: 10_000, concurrency });
    const seconds = (performance.now() - started) / 1000;
    const second = report.cacheHits?.checked ?? 0;
    console.log(
      `| ${concurrency} | ${report.requested} | ${second} | ${seconds.toFixed(2)} | ${((report.requested + second) / seconds).toFixed(0)} | ${byRule(report)} |`,
    );
  } finally {
    await edge.close();
  }
}
fs.rmSync(work, { recursive: true, force: true });

function byRule(report: { rules: { id: string; count: number }[] }): string {
  return report.rules.filter((r) => r.count > 0).map((r) => `${r.id} ${r.count}`).join(', ') || 'none';
}
