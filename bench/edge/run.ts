/**
 * Cache-hit benchmark of the local edge against nginx, Varnish and a bare node:http server,
 * all on loopback, with wrk. A script, not a test; every run is bounded.
 *
 *   node --import jiti/register bench/edge/run.ts     # 3 rounds x 3 s per server and case
 *   BENCH_SECONDS=5 BENCH_ROUNDS=2 BENCH_ONLY=edge1,bare node --import jiti/register bench/edge/run.ts
 *
 * Needs Debian's wrk, nginx-light and varnish. Writes bench/.work/edge/results.{md,json}.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { compileTable } from '../../src/behavior/table.js';
import { resolveConfig } from '../../src/config/load.js';
import { FsStore } from '../../src/store/fs-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(ROOT, 'bench/.work/edge');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const THREADS = 2;
/** The built CLI under test; BENCH_EDGE_CLI points at another build (e.g. a copy of main's dist) to compare. */
const EDGE_CLI = path.resolve(process.env.BENCH_EDGE_CLI ?? path.join(ROOT, 'dist/cli/main.js'));
const BASE_CLI = process.env.BENCH_BASE_CLI ? path.resolve(process.env.BENCH_BASE_CLI) : undefined;
const BASE_NAME = 'edge, base build (1 process)';
const CONNECTIONS = 50;

interface Case {
  name: string;
  path: string;
  /** nginx/varnish/bare path when it differs (precompressed file). */
  staticPath?: string;
  headers: Record<string, string>;
}

/** Which servers to run (comma list of edge1, edge2, nginx, varnish, bare); default all. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'edge1,edge2,nginx,varnish,bare').split(','));

const CASES: Case[] = [
  { name: '20 KB HTML, br', path: '/page.html', staticPath: '/page.html.br', headers: { 'accept-encoding': 'br' } },
  { name: '20 KB HTML, identity', path: '/page.html', headers: {} },
  { name: '100 KB image', path: '/images/photo.jpg', headers: {} },
  { name: '2 KB JS chunk', path: '/_next/static/chunk.js', headers: {} },
];

const CONFIG = {
  behaviors: [
    { path: '_next/static/*', cache: 'immutable' },
    { path: 'images/*', cache: 'immutable' },
    // An hour at the edge: every request of the run is a hit (the benchmark measures hits, not revalidation).
    { path: '*', cache: { edge: '1h', browser: 0 } },
  ],
};

function html(bytes: number): string {
  let out = '<!doctype html><html><head><title>bench</title></head><body>\n';
  let i = 0;
  while (out.length < bytes - 20) out += `<p class="c${i % 7}">Paragraph ${i++} of the benchmark page, with some text to compress.</p>\n`;
  return `${out.slice(0, bytes - 15)}</body></html>\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(port: number, pathname = '/'): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${pathname}`);
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answers on ${port}`);
}

/** One GET with exactly these headers (fetch would add its own Accept-Encoding; wrk sends none). */
function get(port: number, pathname: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, headers: { ...headers, connection: 'close' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res)).on('error', reject);
      })
      .on('error', reject);
  });
}

/** A few requests to fill caches before measuring hits; a dropped connection is retried. */
async function warm(port: number, pathname: string, headers: Record<string, string>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    for (let attempt = 0; ; attempt++) {
      try {
        await get(port, pathname, headers);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }
}

/** Headers every server writes itself (or that differ by nature): left out of the copied set. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
/** Headers nginx writes itself (from the file and its types); the rest of the edge's are added. */
const NGINX_HEADERS = new Set([...OWN_HEADERS, 'server', 'content-type', 'last-modified', 'etag', 'accept-ranges', 'content-encoding', 'cache-control']);

/**
 * The headers the edge answers a hit with: the other servers send the same ones, so every
 * server puts the same bytes on the wire and wrk (on the same cores) does the same work for each.
 */
async function edgeHitHeaders(port: number, c: Case): Promise<[string, string][]> {
  const res = await get(port, c.path, c.headers);
  if (res.headers['x-cache'] !== 'Hit from cloudfront') throw new Error(`${c.path}: expected a hit from the edge, got ${String(res.headers['x-cache'])}`);
  const pairs: [string, string][] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
  return pairs.filter(([k]) => !OWN_HEADERS.has(k));
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time (user + system) of the server process per request, µs: single-process servers only. */
  cpuUs?: number;
}

/** utime + stime of a process in clock ticks (100 per second), from /proc. */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/**
 * One wrk run. With `pid`, also the server's CPU time per request: on a loaded machine a
 * process gets less CPU and its requests/s fall, but the CPU a request costs it moves far less.
 */
function wrk(port: number, c: Case, staticServer: boolean, seconds = SECONDS, pid?: number): Result {
  const before = pid === undefined ? 0 : cpuTicks(pid);
  const args = [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(c.headers)) args.push('-H', `${k}: ${v}`);
  args.push(`http://127.0.0.1:${port}${staticServer && c.staticPath ? c.staticPath : c.path}`);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  if (/Non-2xx/.test(out)) throw new Error(`non-2xx responses from port ${port}:\n${out}`);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const cpuUs = pid === undefined ? undefined : ((cpuTicks(pid) - before) * 10_000) / requests;
  return { rps, p50, p99, cpuUs };
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  fs.rmSync(WORK, { recursive: true, force: true });
  const site = path.join(WORK, 'site');
  const files: Record<string, Buffer> = {
    'page.html': Buffer.from(html(20_000)),
    'images/photo.jpg': crypto.randomBytes(100_000),
    '_next/static/chunk.js': Buffer.from(`(()=>{${'var a=1;'.repeat(400)}})();`.slice(0, 2_000)),
  };
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(site, rel)), { recursive: true });
    fs.writeFileSync(path.join(site, rel), body);
  }
  fs.writeFileSync(path.join(site, 'page.html.br'), zlib.brotliCompressSync(files['page.html']!));
  fs.writeFileSync(path.join(WORK, 'edgeship.config.json'), JSON.stringify({ ...CONFIG, site: 'site' }, null, 2));

  // Deploy as `edgeship deploy` would: headers from the behavior table.
  const model = resolveConfig({ ...CONFIG, site: 'site' }, WORK);
  const behaviorTable = compileTable(model);
  const store = new FsStore(path.join(WORK, '.edgeship/store'), { fsync: false });
  for (const [key, body] of Object.entries(files)) {
    const { cacheControl, contentType } = behaviorTable.objectHeaders(key);
    await store.put(key, body, { cacheControl, contentType });
  }

  const results: Record<string, Record<string, Result>> = {};
  const memory: Record<string, number> = {};
  const node = process.execPath;
  const children: ChildProcess[] = [];
  const servers: { name: string; port: number; staticFiles: boolean; pid?: number }[] = [];
  const launch = (command: string, args: string[], cwd = WORK) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
    children.push(child);
    return child;
  };
  const copied = new Map<string, [string, string][]>();
  try {
    // The edge, one process and two workers (processes sharing the port).
    for (const workers of [1, 2]) {
      if (!ONLY.has(`edge${workers}`)) continue;
      const port = await freePort();
      // The built CLI, as `npx edgeship serve` runs it (`npm run build` first).
      const child = launch(node, [EDGE_CLI, 'serve', '--port', String(port), '--workers', String(workers), '--cache-size', '64MB']);
      await waitFor(port, '/page.html');
      for (const c of CASES) await warm(port, c.path, c.headers, 20);
      for (const c of CASES) if (!copied.has(c.name)) copied.set(c.name, await edgeHitHeaders(port, c));
      servers.push({ name: `edge (${workers} process${workers > 1 ? 'es' : ''})`, port, staticFiles: false, pid: workers === 1 ? child.pid : undefined });
    }
    // Another build of the edge side by side (BENCH_BASE_CLI, e.g. main's dist): before/after in one interleaved run.
    if (BASE_CLI) {
      const port = await freePort();
      const child = launch(node, [BASE_CLI, 'serve', '--port', String(port), '--workers', '1', '--cache-size', '64MB']);
      await waitFor(port, '/page.html');
      for (const c of CASES) await warm(port, c.path, c.headers, 20);
      servers.push({ name: BASE_NAME, port, staticFiles: false, pid: child.pid });
    }
    // nginx-light: sendfile, open_file_cache, the same headers.
    const nginxPort = await freePort();
    const nginxAdd = (name: string) => (copied.get(name) ?? []).filter(([k]) => !NGINX_HEADERS.has(k)).map(([k, v]) => ` add_header ${k} "${v}";`).join('');
    if (ONLY.has('nginx') || ONLY.has('varnish')) {
      const nginxConf = path.join(WORK, 'nginx.conf');
      fs.writeFileSync(
        nginxConf,
        `worker_processes 2;
pid ${WORK}/nginx.pid;
error_log ${WORK}/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  keepalive_requests 100000;
  types { text/html html; image/jpeg jpg; application/javascript js; }
  server {
    listen 127.0.0.1:${nginxPort};
    root ${site};
    location = /page.html { add_header Cache-Control "public, max-age=0, s-maxage=3600, must-revalidate"; charset utf-8;${nginxAdd('20 KB HTML, identity')} }
    location = /page.html.br { default_type text/html; types { } add_header Content-Encoding br; add_header Cache-Control "public, max-age=0, s-maxage=3600, must-revalidate";${nginxAdd('20 KB HTML, br')} }
    location /images/ { add_header Cache-Control "public, max-age=31536000, immutable";${nginxAdd('100 KB image')} }
    location / { add_header Cache-Control "public, max-age=31536000, immutable";${nginxAdd('2 KB JS chunk')} }
  }
}
`,
      );
      launch('nginx', ['-c', nginxConf, '-g', 'daemon off;']);
      await waitFor(nginxPort, '/page.html');
      if (ONLY.has('nginx')) servers.push({ name: 'nginx (2 workers)', port: nginxPort, staticFiles: true });
    }
    // Varnish in front of that nginx, measured on cache hits.
    if (ONLY.has('varnish')) {
      const varnishPort = await freePort();
      const vcl = path.join(WORK, 'default.vcl');
      fs.writeFileSync(vcl, `vcl 4.1;\nbackend default { .host = "127.0.0.1"; .port = "${nginxPort}"; }\nsub vcl_backend_response { set beresp.ttl = 1h; }\n`);
      launch('varnishd', ['-F', '-a', `127.0.0.1:${varnishPort}`, '-f', vcl, '-s', 'malloc,64m', '-n', path.join(WORK, 'varnish')]);
      await waitFor(varnishPort, '/page.html');
      for (const c of CASES) await warm(varnishPort, c.staticPath ?? c.path, c.headers, 5);
      servers.push({ name: 'varnish (hits)', port: varnishPort, staticFiles: true });
    }
    // The ceiling: bare node:http returning in-memory buffers.
    if (ONLY.has('bare')) {
      const routes: Record<string, { file: string; type: string; cacheControl: string; encoding?: string; headers?: [string, string][] }> = {};
      for (const c of CASES) {
        const rel = (c.staticPath ?? c.path).slice(1);
        const type = rel.endsWith('.js') ? 'application/javascript' : rel.endsWith('.jpg') ? 'image/jpeg' : 'text/html; charset=utf-8';
        const cacheControl = rel.startsWith('page') ? 'public, max-age=0, s-maxage=3600, must-revalidate' : 'public, max-age=31536000, immutable';
        routes[`/${rel}`] = { file: path.join(site, rel), type, cacheControl, ...(rel.endsWith('.br') ? { encoding: 'br' } : {}), ...(copied.has(c.name) ? { headers: copied.get(c.name) } : {}) };
      }
      const routesFile = path.join(WORK, 'routes.json');
      fs.writeFileSync(routesFile, JSON.stringify(routes));
      for (const workers of [1, 2]) {
        const port = await freePort();
        const child = launch(node, [path.join(ROOT, 'bench/edge/bare-node.mjs'), String(port), routesFile, String(workers)]);
        await waitFor(port, '/page.html');
        servers.push({ name: `bare node (${workers} process${workers > 1 ? 'es' : ''})`, port, staticFiles: true, pid: workers === 1 ? child.pid : undefined });
      }
    }

    // Warm-up under load, not recorded: a Node.js server runs its first seconds of load on
    // unoptimized code (its first-run p99 was 20x its steady one); nginx is measured alike.
    for (const c of CASES) for (const s of servers) wrk(s.port, c, s.staticFiles, WARMUP_SECONDS);
    // Rounds: every server and case once per round, interleaved, so background load on the
    // shared machine hits all of them alike; the best round of each is kept.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of CASES) {
        for (const s of servers) {
          const r = wrk(s.port, c, s.staticFiles, SECONDS, s.pid);
          const best = results[s.name]?.[c.name];
          // The best round of each: most requests/s, and (apart) the least CPU per request.
          const leastCpu = Math.min(r.cpuUs ?? Infinity, best?.cpuUs ?? Infinity);
          if (!best || r.rps > best.rps) (results[s.name] ??= {})[c.name] = r;
          if (Number.isFinite(leastCpu)) results[s.name]![c.name]!.cpuUs = leastCpu;
          console.log(`round ${round} ${s.name.padEnd(24)} ${c.name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
        }
      }
    }
    for (const s of servers.filter((x) => x.name.startsWith('edge'))) {
      const pid = children.find((ch) => ch.spawnargs.includes(String(s.port)))?.pid;
      if (pid === undefined) continue;
      const rss = execFileSync('ps', ['-o', 'rss=', '--ppid', String(pid), '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .reduce((a, b) => a + Number(b), 0);
      memory[s.name] = Math.round(rss / 1024);
      console.log(`${s.name} resident memory after the runs: ${memory[s.name]} MB in all (cache limit 64 MB)`);
    }
  } finally {
    await Promise.all(children.map(stop));
  }
  fs.writeFileSync(path.join(WORK, 'results.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, threads: THREADS, connections: CONNECTIONS, results, memory }, null, 2));
  if (ONLY.size < 5) {
    printRatios(results);
    return;
  }
  // The table, with the ratios the targets are stated in.
  const lines = [
    `| case | edge 1 proc | bare node 1 proc | edge/bare | edge 2 workers | nginx | edge2/nginx | varnish | bare node 2 proc | p99 edge2 / nginx (ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const c of CASES) {
    const e1 = results['edge (1 process)']![c.name]!;
    const e2 = results['edge (2 processes)']![c.name]!;
    const n = results['nginx (2 workers)']![c.name]!;
    const v = results['varnish (hits)']![c.name]!;
    const b1 = results['bare node (1 process)']![c.name]!;
    const b2 = results['bare node (2 processes)']![c.name]!;
    const k = (r: Result) => `${(r.rps / 1000).toFixed(1)}k`;
    lines.push(
      `| ${c.name} | ${k(e1)} | ${k(b1)} | ${(e1.rps / b1.rps).toFixed(2)} | ${k(e2)} | ${k(n)} | ${(e2.rps / n.rps).toFixed(2)} | ${k(v)} | ${k(b2)} | ${e2.p99.toFixed(2)} / ${n.p99.toFixed(2)} |`,
    );
  }
  const table = lines.join('\n');
  console.log(`\n${table}`);
  fs.writeFileSync(path.join(WORK, 'results.md'), `${table}\n`);
}

/**
 * A subset run (`BENCH_ONLY=edge1,bare`): the edge against the bare node:http ceiling, one
 * process each (and the base build's, with BENCH_BASE_CLI): requests/s, and the CPU a hit costs
 * each process. `bare/edge CPU` is the ratio a CPU-bound process reaches, the figure a loaded
 * machine disturbs least.
 */
function printRatios(results: Record<string, Record<string, Result>>): void {
  const edge = results['edge (1 process)'];
  const bare = results['bare node (1 process)'];
  if (!edge || !bare) return;
  const base = results[BASE_NAME];
  const k = (r: Result) => `${(r.rps / 1000).toFixed(1)}k`;
  const cpu = (r: Result) => (r.cpuUs ?? NaN).toFixed(1);
  const lines = [
    `| case | edge 1 proc | bare node 1 proc | edge/bare | CPU µs/hit edge / bare | bare/edge CPU |${base ? ' base build | base/bare | CPU µs/hit base | bare/base CPU |' : ''}`,
    `|---|---:|---:|---:|---:|---:|${base ? '---:|---:|---:|---:|' : ''}`,
  ];
  for (const c of CASES) {
    const e = edge[c.name]!;
    const b = bare[c.name]!;
    const old = base?.[c.name];
    const ratio = (x: Result) => ((b.cpuUs ?? NaN) / (x.cpuUs ?? NaN)).toFixed(2);
    const baseCols = old ? ` ${k(old)} | ${(old.rps / b.rps).toFixed(2)} | ${cpu(old)} | ${ratio(old)} |` : '';
    lines.push(`| ${c.name} | ${k(e)} | ${k(b)} | ${(e.rps / b.rps).toFixed(2)} | ${cpu(e)} / ${cpu(b)} | ${ratio(e)} |${baseCols}`);
  }
  console.log(`\n${lines.join('\n')}`);
}

await main();
