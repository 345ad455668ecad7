/**
 * The stock url-handler under load on loopback: 50 keep-alive clients through the local edge
 * for a bounded time, with a small cache so brotli and gzip keep compressing misses on zlib's
 * threads. Prints the statuses and the distribution of compute utilization per run.
 *
 *   npx jiti bench/functions-load.ts [seconds=10] [connections=50]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { presetFiles } from '../src/cli/init.js';
import { resolveConfig } from '../src/config/load.js';
import { nextjsExport } from '../src/config/presets/index.js';
import { startEdge, type RequestRecord } from '../src/edge/index.js';
import { FsStore } from '../src/store/fs-store.js';

const seconds = Math.min(Number(process.argv[2] ?? 10), 60);
const connections = Math.min(Number(process.argv[3] ?? 50), 200);
const PAGES = 300;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-bench-fnload-'));
fs.mkdirSync(path.join(dir, 'edge'));
fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), presetFiles('nextjs-export', 'example.com', { layout: 'directory', trailingSlash: false })['edge/url-handler.js']!);
const site = resolveConfig(nextjsExport(), dir);
const store = new FsStore(path.join(dir, '.edgeship/store'), { fsync: false });
for (let i = 0; i < PAGES; i++) {
  await store.put(`docs/page-${i}/index.html`, Buffer.from(`<!doctype html><title>${i}</title>${`page ${i} `.repeat(3_000)}`), { contentType: 'text/html', cacheControl: 'public, max-age=0, s-maxage=300' });
}
const statuses = new Map<number, number>();
const figures: number[] = [];
const reasons = new Set<string>();
const log = (record: RequestRecord) => {
  statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
  for (const run of record.functionRuns ?? []) if (run.computeUtilization !== undefined) figures.push(run.computeUtilization);
};
const edge = await startEdge({ site, store, announce: false, cacheSize: 1024 * 1024, log, onFunctionError: (line) => reasons.add(line) });
const result = await autocannon({
  url: edge.url,
  connections,
  duration: seconds,
  headers: { host: 'example.com', 'accept-encoding': 'br, gzip' },
  requests: Array.from({ length: PAGES }, (_, i) => ({ path: `/docs/page-${(i * 7) % PAGES}` })),
});
await edge.close();
fs.rmSync(dir, { recursive: true, force: true });

figures.sort((a, b) => a - b);
const at = (q: number) => figures[Math.min(figures.length - 1, Math.floor(figures.length * q))] ?? 0;
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(2)}, ${connections} connections, ${seconds} s`);
console.log('| requests | req/s | 200 | 503 | other | cu p50 | cu p99 | cu p99.9 | cu max |');
console.log('|---|---|---|---|---|---|---|---|---|');
const other = [...statuses].filter(([s]) => s !== 200 && s !== 503).reduce((n, [, c]) => n + c, 0);
console.log(`| ${result.requests.total} | ${Math.round(result.requests.average)} | ${statuses.get(200) ?? 0} | ${statuses.get(503) ?? 0} | ${other} | ${at(0.5)} | ${at(0.99)} | ${at(0.999)} | ${figures.at(-1) ?? 0} |`);
for (const reason of reasons) console.log(`failure: ${reason}`);
