/**
 * Deploy benchmark: edgeship vs. the two-pass `aws s3 sync` (and s3-sync-client doing the same
 * two passes), against one s3rver on 127.0.0.1, on a generated Next.js-export-shaped site.
 *
 *   npm run build && node --import jiti/register bench/deploy/run.ts [--small] [--rotate N]
 *
 * Cases per tool: first deploy to an empty bucket; a redeploy with nothing changed; a
 * redeploy after a rebuild that rewrites every file and changes ~1% of them (first deploys and
 * rebuilds run BENCH_REPEAT times, default 3, the no-change redeploy 2 x BENCH_REPEAT + 1
 * times, a second or two each; each reports its median run). Measured: wall
 * time and client CPU time (user+sys, /usr/bin/time), bytes sent in PUT bodies (counted by a
 * proxy in front of the server). Bounded: each command is killed after 5 minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3rver } from '../../test/helpers/s3rver.js';
import { generateNextSite, type NextSiteOptions } from '../../test/helpers/next-site.js';
import { startCountingProxy } from './counting-proxy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, 'bench/.work/deploy');
const small = process.argv.includes('--small');
const SITE: NextSiteOptions = small
  ? { pages: 60, chunks: 150, images: 100, chunkBytes: 20_000, imageBytes: 60_000 }
  : { pages: 500, chunks: 1_290, images: 1_000, chunkBytes: 20_000, imageBytes: 76_000, changed: 0.01 };
const AWS = '/usr/bin/aws';
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

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const s3 = await startS3rver({ bucket: 'warmup' });
  const proxy = await startCountingProxy(s3.endpoint);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  try {
    const admin = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
    // One empty bucket per tool and first-deploy round; the last round's bucket is redeployed.
    for (const b of ['edgeship', 'awscli', 'syncclient']) for (let r = 0; r < REPEAT; r++) await admin.send(new CreateBucketCommand({ Bucket: `${b}-${r}` }));
    // Untimed warm-up of the server: its first thousand writes run on unoptimized code and a cold
    // page cache, which would slow whichever tool happens to go first (by ~2.5 s here).
    // Through the counting proxy, which is warmed alike.
    const warmer = new S3Client({ endpoint: proxy.url, forcePathStyle: true, region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED' });
    const body = Buffer.alloc(30_000, 'w');
    for (let i = 0; i < 1_500; i += 16) {
      await Promise.all(Array.from({ length: 16 }, (_, j) => warmer.send(new PutObjectCommand({ Bucket: 'warmup', Key: `w/${i + j}.bin`, Body: body }))));
    }
    await warmer.send(new ListObjectsV2Command({ Bucket: 'warmup' }));
    warmer.destroy();
    admin.destroy();

    const tools: Record<string, (dir: string, bucket: string) => Promise<{ wall: number; cpu: number }>> = {
      edgeship: (dir, bucket) => {
        writeEdgeshipConfig(dir, bucket, proxy.url);
        return timed(process.execPath, [path.join(root, 'dist/cli/main.js'), 'deploy', '--target', 'bench', '--yes', '--json'], env, dir);
      },
      'aws s3 sync (2 passes)': async (dir, bucket) => {
        const a = await timed(AWS, ['--endpoint-url', proxy.url, 's3', 'sync', 'out/', `s3://${bucket}/`, '--delete', '--exclude', 'images/*', '--only-show-errors'], env, dir);
        const b = await timed(AWS, ['--endpoint-url', proxy.url, 's3', 'sync', 'out/images/', `s3://${bucket}/images/`, '--cache-control', 'public, max-age=31536000, immutable', '--only-show-errors'], env, dir);
        return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu };
      },
      's3-sync-client (2 passes)': (dir, bucket) => timed(process.execPath, [path.join(root, 'bench/deploy/s3-sync-client-run.mjs'), proxy.url, bucket, path.join(dir, 'out')], env, dir),
    };

    // Each case runs every tool back to back, so that load from elsewhere on the machine hits all alike.
    const results: Record<string, Record<string, Measure>> = {};
    const dirs: Record<string, string> = {};
    let site0: ReturnType<typeof generateNextSite> | undefined;
    let site1: ReturnType<typeof generateNextSite> | undefined;
    for (const tool of Object.keys(tools)) {
      const dir = path.join(work, tool.split(' ')[0]!);
      dirs[tool] = dir;
      fs.mkdirSync(dir, { recursive: true });
      results[tool] = {};
      site0 = generateNextSite(path.join(dir, 'out'), { ...SITE, rev: 0 });
    }
    const runs: Record<string, Record<string, Measure[]>> = {};
    const bucketOf = (tool: string, round: number) => `${tool === 'edgeship' ? 'edgeship' : tool.startsWith('aws') ? 'awscli' : 'syncclient'}-${round}`;
    const measure = async (tool: string, name: string, round = REPEAT - 1) => {
      proxy.reset();
      const t = await tools[tool]!(dirs[tool]!, bucketOf(tool, round));
      ((runs[tool] ??= {})[name] ??= []).push({ ...t, bytes: proxy.counts.bodyBytes, puts: proxy.counts.puts, copies: proxy.counts.copies, requests: proxy.counts.requests });
      console.log(`${tool.padEnd(26)} ${name.padEnd(22)} ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s cpu, ${(proxy.counts.bodyBytes / 1e6).toFixed(2)} MB, ${proxy.counts.requests} requests`);
    };
    // Written files are flushed before timing starts; the order of the tools turns from case to
    // case, so no tool always runs first (right after the writes) or last.
    const settle = () => execFileSync('sync');
    const names = Object.keys(tools);
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
    for (let r = 1; r <= REPEAT; r++) {
      // Rev r rewrites every file and changes the same ~1% again (new bytes each time).
      for (const tool of names) {
        const built = generateNextSite(path.join(dirs[tool]!, 'out'), { ...SITE, rev: r });
        if (r === 1) site1 = built;
      }
      settle();
      for (const tool of order(2 + r)) await measure(tool, 'rebuild, ~1% changed');
    }
    for (const [tool, cases] of Object.entries(runs)) {
      for (const [name, list] of Object.entries(cases)) {
        results[tool]![name] = median(list);
        if (list.length > 1) console.log(`${tool.padEnd(26)} ${name.padEnd(22)} runs ${list.map((m) => m.wall.toFixed(2)).join(', ')} s: median ${median(list).wall.toFixed(2)} s`);
      }
    }

    let files = 0;
    let bytes = 0;
    for (const [k, size] of site1!.files) {
      if (site0!.digests.get(k) !== site1!.digests.get(k)) {
        files++;
        bytes += size;
      }
    }
    const realChange = { files, bytes };
    const siteStats = { files: site0!.files.size, bytes: site0!.bytes };
    writeTable(results, siteStats, realChange);
  } finally {
    await proxy.close();
    await s3.stop();
  }
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

function writeTable(results: Record<string, Record<string, Measure>>, site: { files: number; bytes: number }, change: { files: number; bytes: number }) {
  const cases = ['first deploy', 'no-change redeploy', 'rebuild, ~1% changed'];
  const base = results['edgeship']!;
  const lines = [
    `Site: ${site.files} files, ${(site.bytes / 1e6).toFixed(1)} MB; the rebuild rewrites every file and really changes ${change.files} files, ${(change.bytes / 1e6).toFixed(2)} MB. The median of ${REPEAT} first deploys, ${REPEAT_NO_CHANGE} no-change and ${REPEAT} rebuild runs.`,
    '',
    '| case | tool | wall | client CPU | uploaded | requests | wall vs edgeship |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of cases) {
    for (const [tool, r] of Object.entries(results)) {
      const m = r[c]!;
      lines.push(`| ${c} | ${tool} | ${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${(m.bytes / 1e6).toFixed(2)} MB | ${m.requests} | ${(m.wall / base[c]!.wall).toFixed(1)}× |`);
    }
  }
  const text = lines.join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(work, 'results.md'), `${text}\n`);
}

await main();
