/**
 * Atomic deploys benchmark, on bench/deploy's generated 2,800-file Next.js export, against one
 * s3rver on 127.0.0.1 behind the counting proxy:
 *
 *   npm run build && node --import jiti/register bench/deploy/atomic.ts [--small]
 *
 * 1. A rebuild deploy (every file rewritten, ~1% really changed) in in-place mode and in
 *    atomic mode: wall time, bytes in PUT bodies, requests. Atomic uploads its pages again
 *    (each deploy has its own prefix) but never the shared content-hashed assets.
 * 2. Switch time of the atomic rebuild: from the command's start to the pointer written.
 * 3. Rollback time (`rollback --previous`, then forward again): command start to pointer
 *    written, and the whole process' wall time; median of ROLLBACKS runs.
 * Bounded: every command is killed after 5 minutes; loopback only.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { renderUrlHandler } from '../../src/config/presets/url-handler.js';
import { startS3rver } from '../../test/helpers/s3rver.js';
import { generateNextSite } from '../../test/helpers/next-site.js';
import { benchSite } from './site.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, 'bench/.work/atomic');
const small = process.argv.includes('--small');
const SITE = benchSite(small);
const LIMIT_MS = 5 * 60_000;
const ROLLBACKS = 5;
const MODES = ['in-place', 'atomic'] as const;
type Mode = (typeof MODES)[number];
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_PAGER: '' };

interface Run {
  wall: number;
  json: Record<string, unknown> & { atomic?: { pointerAtMs?: number }; timeMs?: number; ownMs?: number };
  bytes: number;
  requests: number;
}

/** Runs the CLI (asynchronously: the counting proxy lives in this process). */
async function edgeship(dir: string, proxy: CountingProxy, ...args: string[]): Promise<Run> {
  proxy.reset();
  const started = performance.now();
  const { stdout: out } = await promisify(execFile)(process.execPath, [path.join(root, 'dist/cli/main.js'), ...args, '--json'], { cwd: dir, env, timeout: LIMIT_MS, encoding: 'utf8' });
  return { wall: performance.now() - started, json: JSON.parse(out) as Run['json'], bytes: proxy.counts.bodyBytes, requests: proxy.counts.requests };
}

function project(mode: Mode, endpoint: string): string {
  const dir = path.join(work, mode);
  fs.mkdirSync(path.join(dir, 'edge'), { recursive: true });
  const url = { layout: 'directory', trailingSlash: true, redirectStatus: 308, basePath: '', server: 'Next.js', why: 'bench' } as const;
  fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), renderUrlHandler('example.com', [], url, { atomic: mode === 'atomic' }));
  const config = {
    site: 'out',
    behaviors: [
      { path: '_next/static/*', cache: 'immutable' },
      { path: 'images/*', cache: 'immutable' },
      { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } },
    ],
    deploy: { atomic: mode === 'atomic' },
    targets: { bench: { store: { type: 's3', bucket: mode, endpoint, forcePathStyle: true, region: 'us-east-1' } }, fs: { store: { type: 'fs', dir: 'fs-store' } } },
  };
  fs.writeFileSync(path.join(dir, 'edgeship.config.json'), JSON.stringify(config));
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${Math.round(n)} ms`;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

async function main() {
  if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  fs.rmSync(work, { recursive: true, force: true });
  const s3 = await startS3rver({ bucket: 'warmup' });
  const proxy = await startCountingProxy(s3.endpoint);
  try {
    const admin = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
    for (const m of MODES) await admin.send(new CreateBucketCommand({ Bucket: m }));
    admin.destroy();
    const dirs = Object.fromEntries(MODES.map((m) => [m, project(m, proxy.url)])) as Record<Mode, string>;
    let files = 0;
    for (const m of MODES) files = generateNextSite(path.join(dirs[m], 'out'), { ...SITE, rev: 0 }).files.size;
    const deployAll = async () => {
      const out = {} as Record<Mode, Run>;
      for (const m of MODES) out[m] = await edgeship(dirs[m], proxy, 'deploy', '--target', 'bench', '--yes');
      return out;
    };
    const first = await deployAll();
    await edgeship(dirs.atomic, proxy, 'deploy', '--target', 'fs', '--yes');
    for (const m of MODES) generateNextSite(path.join(dirs[m], 'out'), { ...SITE, rev: 1 });
    execFileSync('sync');
    const rebuild = await deployAll();
    await edgeship(dirs.atomic, proxy, 'deploy', '--target', 'fs', '--yes');
    const rollbacks: Record<string, Run[]> = { bench: [], fs: [] };
    for (let i = 0; i < ROLLBACKS; i++) {
      for (const target of Object.keys(rollbacks)) {
        rollbacks[target]!.push(await edgeship(dirs.atomic, proxy, 'rollback', '--previous', '--target', target, '--yes'));
        await edgeship(dirs.atomic, proxy, 'rollback', '2', '--target', target, '--yes');
      }
    }
    const rollbackRow = (target: string, name: string) => {
      const list = rollbacks[target]!;
      return `| rollback --previous | atomic, ${name} | ${ms(median(list.map((r) => r.wall)))} | ${mb(median(list.map((r) => r.bytes)))} | ${median(list.map((r) => r.requests))} | ${ms(median(list.map((r) => r.json.timeMs ?? NaN)))} (rollback itself: ${ms(median(list.map((r) => r.json.ownMs ?? NaN)))}) |`;
    };
    const lines = [
      `Site: ${files} files (bench/deploy's generated Next.js export); the rebuild rewrites every file and really changes ~1%. s3rver on 127.0.0.1; ${ROLLBACKS} rollbacks, median.`,
      '',
      '| case | mode, store | wall | uploaded | requests | command start to pointer written |',
      '|---|---|---:|---:|---:|---:|',
      ...MODES.map((m) => `| first deploy | ${m}, s3rver | ${ms(first[m].wall)} | ${mb(first[m].bytes)} | ${first[m].requests} | ${m === 'atomic' ? ms(first[m].json.atomic?.pointerAtMs ?? NaN) : '-'} |`),
      ...MODES.map((m) => `| rebuild deploy | ${m}, s3rver | ${ms(rebuild[m].wall)} | ${mb(rebuild[m].bytes)} | ${rebuild[m].requests} | ${m === 'atomic' ? ms(rebuild[m].json.atomic?.pointerAtMs ?? NaN) : '-'} |`),
      rollbackRow('bench', 's3rver'),
      rollbackRow('fs', 'fs store'),
    ];
    const text = lines.join('\n');
    console.log(`\n${text}`);
    fs.writeFileSync(path.join(work, 'results.md'), `${text}\n`);
  } finally {
    await proxy.close();
    await s3.stop();
  }
}

await main();
