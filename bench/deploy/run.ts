/**
 * Deploy benchmark: edgeship vs. rclone, the two-pass `aws s3 sync` and s3-sync-client doing the
 * same two passes, against one s3rver on 127.0.0.1 behind a proxy that holds every request a
 * given time (a round trip to a real region), on a generated Next.js-export-shaped site.
 *
 *   npm run build && node --import jiti/register bench/deploy/run.ts [--small] [--rotate N]
 *     [--latency 0,30,80] [--tools edgeship,rclone,aws,s3-sync-client]
 *
 * Per latency and tool, each on its own buckets: first deploy to an empty bucket; a redeploy
 * with nothing changed; a redeploy after a rebuild that rewrites every file and changes ~1% of
 * them (first deploys and rebuilds run BENCH_REPEAT times, default 3, the no-change redeploy
 * 2 x BENCH_REPEAT + 1 times, a second or two each; each reports its median run). Measured:
 * wall time and client CPU time (user+sys, /usr/bin/time), bytes sent in PUT bodies and
 * requests (counted by the proxy), and whether the order was kept (all assets stored before
 * the first HTML write, deletes after the last write: order-check.ts, from the proxy's log).
 * Bounded: each command is killed after 5 minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3rver } from '../../test/helpers/s3rver.js';
import { generateNextSite } from '../../test/helpers/next-site.js';
import { benchSite } from './site.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { checkOrder } from './order-check.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, 'bench/.work/deploy');
const small = process.argv.includes('--small');
const SITE = benchSite(small);
/** Debian's awscli when installed, else the `aws` on the PATH. */
const AWS = fs.existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const LIMIT_MS = 5 * 60_000;
/** Which tool runs first in the first case (`--rotate N`); the others follow in turn. */
const FIRST_SHIFT = Number(process.argv[process.argv.indexOf('--rotate') + 1] ?? 0) || 0;
/** Runs of the rebuild case per tool (`BENCH_REPEAT`, default 3); the median is reported. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
/** Runs of the no-change case: it lasts a second or two, about as much as a run moves on a shared machine. */
const REPEAT_NO_CHANGE = 2 * REPEAT + 1;

interface Measure {
  wall: number;
  cpu: number;
  bytes: number;
  puts: number;
  copies: number;
  requests: number;
  orderKept: boolean;
}

/** Runs a command under /usr/bin/time (async: the counting proxy lives in this process). */
async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ wall: number; cpu: number }> {
  const out = path.join(work, 'time.txt');
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', out, cmd, ...args], { cwd, env, timeout: LIMIT_MS, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${status}): ${stderr.slice(-2000)}`);
  const [wall, user, sys] = fs.readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys! };
}

/** The tools to run, by the first word of their name; all by default. */
const argList = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1]!.split(',') : undefined);
const LATENCIES = (argList('--latency') ?? ['0', '30', '80']).map(Number);
const ONLY = argList('--tools');

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const s3 = await startS3rver({ bucket: 'warmup' });
  const proxy = await startCountingProxy(s3.endpoint);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  try {
    const all = toolsFor(proxy.url, env);
    const tools = Object.fromEntries(Object.entries(all).filter(([name]) => ONLY === undefined || ONLY.includes(slug(name))));
    const names = Object.keys(tools);
    const admin = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
    // One empty bucket per latency, tool and first-deploy round; the last round's bucket is redeployed.
    for (const ms of LATENCIES) for (const tool of names) for (let r = 0; r < REPEAT; r++) await admin.send(new CreateBucketCommand({ Bucket: bucketOf(ms, tool, r) }));
    admin.destroy();
    await warmUp(proxy.url);

    const dirs: Record<string, string> = {};
    let site0: ReturnType<typeof generateNextSite> | undefined;
    const byLatency: Record<number, Record<string, Record<string, Measure>>> = {};
    let change = { files: 0, bytes: 0 };
    for (const ms of LATENCIES) {
      for (const tool of names) {
        dirs[tool] = path.join(work, slug(tool));
        site0 = generateNextSite(path.join(dirs[tool], 'out'), { ...SITE, rev: 0 });
        fs.rmSync(path.join(dirs[tool], '.edgeship'), { recursive: true, force: true });
      }
      proxy.reset(ms);
      const runs = await runCases(names, (tool, round) => tools[tool]!(dirs[tool]!, bucketOf(ms, tool, round)), proxy, ms, dirs);
      change = runs.change(site0!);
      byLatency[ms] = runs.results;
    }
    writeTable(byLatency, { files: site0!.files.size, bytes: site0!.bytes }, change);
  } finally {
    await proxy.close();
    await s3.stop();
  }
}

const slug = (tool: string) => tool.split(' ')[0]!;
const bucketOf = (ms: number, tool: string, round: number) => `${slug(tool).replace(/[^a-z0-9]/g, '')}-${ms}-${round}`;

type Run = (dir: string, bucket: string) => Promise<{ wall: number; cpu: number }>;

function toolsFor(endpoint: string, env: NodeJS.ProcessEnv): Record<string, Run> {
  const rcloneConf = path.join(work, 'rclone.conf');
  // rclone's S3 backend on the same endpoint: path style, the server's fixed credentials.
  fs.writeFileSync(rcloneConf, ['[bench]', 'type = s3', 'provider = Other', 'access_key_id = S3RVER', 'secret_access_key = S3RVER', `endpoint = ${endpoint}`, 'region = us-east-1', 'force_path_style = true', ''].join('\n'));
  return {
    edgeship: (dir, bucket) => {
      writeEdgeshipConfig(dir, bucket, endpoint);
      return timed(process.execPath, [path.join(root, 'dist/cli/main.js'), 'deploy', '--target', 'bench', '--yes', '--json'], env, dir);
    },
    // rclone refuses a custom CA bundle on a plain-HTTP endpoint; none is needed here.
    'rclone sync --checksum': (dir, bucket) =>
      timed('rclone', ['--config', rcloneConf, 'sync', 'out/', `bench:${bucket}`, '--checksum', '--fast-list', '--transfers', '16', '--checkers', '16'], { ...env, AWS_CA_BUNDLE: '' }, dir),
    'aws s3 sync (2 passes)': async (dir, bucket) => {
      const a = await timed(AWS, ['--endpoint-url', endpoint, 's3', 'sync', 'out/', `s3://${bucket}/`, '--delete', '--exclude', 'images/*', '--only-show-errors'], env, dir);
      const b = await timed(AWS, ['--endpoint-url', endpoint, 's3', 'sync', 'out/images/', `s3://${bucket}/images/`, '--cache-control', 'public, max-age=31536000, immutable', '--only-show-errors'], env, dir);
      return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu };
    },
    's3-sync-client (2 passes)': (dir, bucket) => timed(process.execPath, [path.join(root, 'bench/deploy/s3-sync-client-run.mjs'), endpoint, bucket, path.join(dir, 'out')], env, dir),
  };
}

/**
 * Untimed warm-up of the server: its first thousand writes run on unoptimized code and a cold
 * page cache, which would slow whichever tool happens to go first (by ~2.5 s here). Through the
 * proxy, which is warmed alike.
 */
async function warmUp(endpoint: string) {
  const warmer = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED' });
  const body = Buffer.alloc(30_000, 'w');
  for (let i = 0; i < 1_500; i += 16) {
    await Promise.all(Array.from({ length: 16 }, (_, j) => warmer.send(new PutObjectCommand({ Bucket: 'warmup', Key: `w/${i + j}.bin`, Body: body }))));
  }
  await warmer.send(new ListObjectsV2Command({ Bucket: 'warmup' }));
  warmer.destroy();
}

/** The three cases at one latency, every tool back to back in each, so that load from elsewhere on the machine hits all alike. */
async function runCases(names: string[], run: (tool: string, round: number) => Promise<{ wall: number; cpu: number }>, proxy: CountingProxy, ms: number, dirs: Record<string, string>) {
  const runs: Record<string, Record<string, Measure[]>> = {};
  const measure = async (tool: string, name: string, round = REPEAT - 1) => {
    proxy.reset();
    const t = await run(tool, round);
    const order = checkOrder(proxy.log);
    // The last run's requests, for a look at where a tool's time went.
    fs.writeFileSync(path.join(work, `requests-${ms}ms-${slug(tool)}-${name.split(/[ ,]/)[0]}.json`), JSON.stringify(proxy.log));
    ((runs[tool] ??= {})[name] ??= []).push({ ...t, bytes: proxy.counts.bodyBytes, puts: proxy.counts.puts, copies: proxy.counts.copies, requests: proxy.counts.requests, orderKept: order.kept });
    const line = `${String(ms).padStart(3)} ms ${tool.padEnd(26)} ${name.padEnd(22)} ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s cpu, ${(proxy.counts.bodyBytes / 1e6).toFixed(2)} MB, ${proxy.counts.requests} requests`;
    console.log(`${line}${order.kept ? '' : `, ORDER NOT KEPT: ${order.problems.join('; ')}`}`);
  };
  // Written files are flushed before timing starts; the order of the tools turns from case to
  // case, so no tool always runs first (right after the writes) or last.
  const settle = () => execFileSync('sync');
  const order = (shift: number) => names.map((_, i) => names[(i + shift) % names.length]!);
  // A single first deploy depended on its place: the tool right after the site writes lost up
  // to a tenth. Each round deploys to empty buckets, edgeship without its hash cache.
  for (let r = 0; r < REPEAT; r++) {
    for (const dir of Object.values(dirs)) fs.rmSync(path.join(dir, '.edgeship'), { recursive: true, force: true });
    settle();
    for (const tool of order(FIRST_SHIFT + r)) await measure(tool, 'first deploy', r);
  }
  // Repeated, the median reported: one run of a second or two moves by a tenth or more on
  // this shared machine, as much as the differences measured.
  for (let r = 0; r < REPEAT_NO_CHANGE; r++) for (const tool of order(1 + r)) await measure(tool, 'no-change redeploy');
  let site1: ReturnType<typeof generateNextSite> | undefined;
  for (let r = 1; r <= REPEAT; r++) {
    // Rev r rewrites every file and changes the same ~1% again (new bytes each time).
    for (const tool of names) {
      const built = generateNextSite(path.join(dirs[tool]!, 'out'), { ...SITE, rev: r });
      if (r === 1) site1 = built;
    }
    settle();
    for (const tool of order(2 + r)) await measure(tool, 'rebuild, ~1% changed');
  }
  const results: Record<string, Record<string, Measure>> = {};
  for (const [tool, cases] of Object.entries(runs)) {
    results[tool] = {};
    for (const [name, list] of Object.entries(cases)) {
      results[tool][name] = { ...median(list), orderKept: list.every((m) => m.orderKept) };
      if (list.length > 1) console.log(`${String(ms).padStart(3)} ms ${tool.padEnd(26)} ${name.padEnd(22)} runs ${list.map((m) => m.wall.toFixed(2)).join(', ')} s: median ${median(list).wall.toFixed(2)} s`);
    }
  }
  const change = (site0: ReturnType<typeof generateNextSite>) => {
    let files = 0;
    let bytes = 0;
    for (const [k, size] of site1!.files) {
      if (site0.digests.get(k) !== site1!.digests.get(k)) {
        files++;
        bytes += size;
      }
    }
    return { files, bytes };
  };
  return { results, change };
}

function writeEdgeshipConfig(dir: string, bucket: string, endpoint: string) {
  const config = {
    site: 'out',
    behaviors: [
      { path: '_next/static/*', cache: 'immutable' },
      { path: 'images/*', cache: 'immutable' },
      { path: '*', cache: { edge: '5m', browser: 0 } },
    ],
    targets: { bench: { store: { type: 's3', bucket, endpoint, forcePathStyle: true, region: 'us-east-1' } } },
  };
  fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(config));
}

/** The run with the median wall time. */
function median(list: Measure[]): Measure {
  return [...list].sort((a, b) => a.wall - b.wall)[Math.floor(list.length / 2)]!;
}

function writeTable(byLatency: Record<number, Record<string, Record<string, Measure>>>, site: { files: number; bytes: number }, change: { files: number; bytes: number }) {
  const cases = ['first deploy', 'no-change redeploy', 'rebuild, ~1% changed'];
  const lines = [
    `Site: ${site.files} files, ${(site.bytes / 1e6).toFixed(1)} MB; the rebuild rewrites every file and really changes ${change.files} files, ${(change.bytes / 1e6).toFixed(2)} MB. The median of ${REPEAT} first deploys, ${REPEAT_NO_CHANGE} no-change and ${REPEAT} rebuild runs.`,
    '',
    '| latency | case | tool | wall | client CPU | uploaded | requests | order kept | wall vs rclone |',
    '|---:|---|---|---:|---:|---:|---:|---|---:|',
  ];
  for (const [ms, results] of Object.entries(byLatency)) {
    const base = results['rclone sync --checksum'] ?? results['edgeship']!;
    for (const c of cases) {
      for (const [tool, r] of Object.entries(results)) {
        const m = r[c]!;
        lines.push(`| ${ms} ms | ${c} | ${tool} | ${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${(m.bytes / 1e6).toFixed(2)} MB | ${m.requests} | ${m.orderKept ? 'yes' : 'no'} | ${(m.wall / base[c]!.wall).toFixed(2)}× |`);
      }
    }
  }
  const text = lines.join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(work, 'results.md'), `${text}\n`);
}

await main();
