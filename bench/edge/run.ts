/**
 * Cache-hit benchmark of the local edge against nginx, Varnish and a bare node:http server,
 * all on loopback, with wrk. A script, not a test; every run is bounded.
 *
 *   node --import jiti/register bench/edge/run.ts            # 5 s per run (BENCH_SECONDS to change)
 *
 * Needs Debian's wrk, nginx-light and varnish. Writes bench/.work/edge/results.{md,json}.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { compileTable } from '../../src/behavior/table.js';
import { resolveConfig } from '../../src/config/load.js';
import { FsStore } from '../../src/store/fs-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(ROOT, 'bench/.work/edge');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const THREADS = 2;
const CONNECTIONS = 50;

interface Case {
  name: string;
  path: string;
  /** nginx/varnish/bare path when it differs (precompressed file). */
  staticPath?: string;
  headers: Record<string, string>;
}

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
    { path: '*', cache: { edge: '5m', browser: 0 } },
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
  for (let i = 0; i < 200; i++) {
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

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

function wrk(port: number, c: Case, staticServer: boolean): Result {
  const args = [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency'];
  for (const [k, v] of Object.entries(c.headers)) args.push('-H', `${k}: ${v}`);
  args.push(`http://127.0.0.1:${port}${staticServer && c.staticPath ? c.staticPath : c.path}`);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  if (/Non-2xx/.test(out)) throw new Error(`non-2xx responses from port ${port}:\n${out}`);
  return { rps, p50, p99 };
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
  const record = (server: string, c: Case, r: Result) => {
    (results[server] ??= {})[c.name] = r;
    console.log(`${server.padEnd(22)} ${c.name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
  };
  const node = process.execPath;

  // The edge, one process and two workers.
  for (const workers of [1, 2]) {
    const port = await freePort();
    const child = spawn(node, ['--import', 'jiti/register', path.join(ROOT, 'src/cli/main.ts'), 'serve', '--port', String(port), '--workers', String(workers), '--cache-size', '64MB'], {
      cwd: WORK,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: '1' },
    });
    try {
      await waitFor(port, '/page.html');
      for (const c of CASES) {
        // Warm every worker's cache before measuring hits.
        for (let i = 0; i < 20; i++) await (await fetch(`http://127.0.0.1:${port}${c.path}`, { headers: c.headers })).arrayBuffer();
        record(`edge (${workers} process${workers > 1 ? 'es' : ''})`, c, wrk(port, c, false));
      }
      const rss = execFileSync('ps', ['-o', 'rss=', '--ppid', String(child.pid), '-p', String(child.pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .reduce((a, b) => a + Number(b), 0);
      console.log(`edge (${workers}) resident memory after the runs: ${(rss / 1024).toFixed(0)} MB (cache limit 64 MB)`);
    } finally {
      await stop(child);
    }
  }

  // nginx-light: sendfile, open_file_cache, the same headers.
  const nginxPort = await freePort();
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
    location = /page.html { add_header Cache-Control "public, max-age=0, s-maxage=300, must-revalidate"; charset utf-8; }
    location = /page.html.br { default_type text/html; types { } add_header Content-Encoding br; add_header Cache-Control "public, max-age=0, s-maxage=300, must-revalidate"; }
    location / { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-c', nginxConf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(nginxPort, '/page.html');
    for (const c of CASES) record('nginx (2 workers)', c, wrk(nginxPort, c, true));

    // Varnish in front of that nginx, measured on cache hits.
    const varnishPort = await freePort();
    const vcl = path.join(WORK, 'default.vcl');
    fs.writeFileSync(vcl, `vcl 4.1;\nbackend default { .host = "127.0.0.1"; .port = "${nginxPort}"; }\nsub vcl_backend_response { set beresp.ttl = 1h; }\n`);
    const varnish = spawn('varnishd', ['-F', '-a', `127.0.0.1:${varnishPort}`, '-f', vcl, '-s', 'malloc,64m', '-n', path.join(WORK, 'varnish')], { stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await waitFor(varnishPort, '/page.html');
      for (const c of CASES) {
        for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${varnishPort}${c.staticPath ?? c.path}`, { headers: c.headers })).arrayBuffer();
        record('varnish (hits)', c, wrk(varnishPort, c, true));
      }
    } finally {
      await stop(varnish);
    }
  } finally {
    await stop(nginx);
  }

  // The ceiling: bare node:http returning an in-memory buffer.
  for (const workers of [1, 2]) {
    for (const c of CASES) {
      const port = await freePort();
      const rel = (c.staticPath ?? c.path).slice(1);
      const type = rel.endsWith('.js') ? 'application/javascript' : rel.endsWith('.jpg') ? 'image/jpeg' : 'text/html; charset=utf-8';
      const args = [path.join(ROOT, 'bench/edge/bare-node.mjs'), String(port), path.join(site, rel), type, String(workers)];
      if (rel.endsWith('.br')) args.push('br');
      const child = spawn(node, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      try {
        await waitFor(port);
        record(`bare node (${workers} process${workers > 1 ? 'es' : ''})`, c, wrk(port, c, true));
      } finally {
        await stop(child);
      }
    }
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
  fs.writeFileSync(path.join(WORK, 'results.json'), JSON.stringify({ seconds: SECONDS, threads: THREADS, connections: CONNECTIONS, results }, null, 2));
}

await main();
