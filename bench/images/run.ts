/**
 * Benchmark: `edgeship images` side by side with next-image-export-optimizer on the same 50
 * photo-like images (40 JPEG 2400x1600, 10 RGBA PNG), widths 640/1080/1920, WebP q75, cold
 * and warm. Wall time, CPU time (user + system of the child process) and output bytes.
 *
 *   npx jiti bench/images/run.ts [--avif]
 *
 * The reference tool and Next.js are installed into bench/.work/nieo-app (git-ignored) at
 * bench time, never into the project. Everything runs offline on loopback-free local files.
 * `--avif` adds a cold run with edgeship's default formats (AVIF + WebP). A second WebP run
 * makes exactly the reference's outputs (`fallback: 'original'`, `optimizeOriginals: false`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkPhotos } from './photos.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(ROOT, 'bench/.work');
const PHOTOS = path.join(WORK, 'photos');
const APP = path.join(WORK, 'nieo-app');
const SITE = path.join(WORK, 'edgeship-site');
const REFERENCE = ['next@15.5.7', 'react@19.2.1', 'react-dom@19.2.1', 'next-image-export-optimizer@1.21.1'];
const TIMEOUT = 10 * 60_000;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' };

interface Measure {
  wallMs: number;
  cpuMs: number;
  /** Peak resident memory of the process, MB. */
  rssMb: number;
}

/** Preloaded into each measured process: reports its peak RSS on exit. */
const RSS_PROBE = path.join(WORK, 'rss-probe.cjs');

/** CPU time of waited-for children (Linux /proc/self/stat fields cutime + cstime, in clock ticks of 10 ms). */
function childCpuMs(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function measure(args: string[], cwd: string): Measure & { stdout: string } {
  const cpu = childCpuMs();
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--require', RSS_PROBE, ...args], { cwd, env, encoding: 'utf8', timeout: TIMEOUT, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const rss = /edgeship-bench-maxrss (\d+)/.exec(r.stderr);
  return { wallMs, cpuMs: childCpuMs() - cpu, rssMb: rss ? Number(rss[1]) / 1024 : NaN, stdout: r.stdout };
}

function copyPhotos(names: string[], to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(PHOTOS, n), path.join(to, n));
}

function bytesUnder(dir: string, filter: (name: string) => boolean = () => true): number {
  if (!fs.existsSync(dir)) return 0;
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(filter).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

function setupReference(names: string[]): void {
  if (!fs.existsSync(path.join(APP, 'node_modules/next-image-export-optimizer'))) {
    fs.mkdirSync(APP, { recursive: true });
    fs.writeFileSync(path.join(APP, 'package.json'), JSON.stringify({ name: 'nieo-bench-app', private: true, version: '0.0.0' }));
    console.log(`installing ${REFERENCE.join(' ')} into ${path.relative(ROOT, APP)} ...`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...REFERENCE], { cwd: APP, stdio: 'inherit', env });
  }
  fs.writeFileSync(
    path.join(APP, 'next.config.js'),
    `module.exports = {
  output: 'export',
  images: { loader: 'custom', imageSizes: [], deviceSizes: [640, 1080, 1920] },
  transpilePackages: ['next-image-export-optimizer'],
  env: {
    nextImageExportOptimizer_imageFolderPath: 'public/images',
    nextImageExportOptimizer_exportFolderPath: 'out',
    nextImageExportOptimizer_quality: '75',
    nextImageExportOptimizer_storePicturesInWEBP: 'true',
    nextImageExportOptimizer_exportFolderName: 'nextImageExportOptimizer',
    nextImageExportOptimizer_generateAndUseBlurImages: 'false',
  },
};
`,
  );
  fs.mkdirSync(path.join(APP, 'app'), { recursive: true });
  fs.writeFileSync(path.join(APP, 'app/layout.js'), `export default function Layout({ children }) { return <html lang="en"><body>{children}</body></html>; }\n`);
  fs.writeFileSync(
    path.join(APP, 'app/page.js'),
    `import ExportedImage from 'next-image-export-optimizer';\nexport default function Page() {\n  return <main>${names.map((n) => `<ExportedImage src="/images/${n}" alt="" width={2400} height={1600} />`).join('')}</main>;\n}\n`,
  );
  copyPhotos(names, path.join(APP, 'public/images'));
  if (!fs.existsSync(path.join(APP, 'out/index.html'))) {
    console.log('next build (once, not timed) ...');
    execFileSync(path.join(APP, 'node_modules/.bin/next'), ['build'], { cwd: APP, stdio: 'inherit', env, timeout: TIMEOUT });
  }
}

function runReference(): { cold: Measure; warm: Measure; webpBytes: number; files: number } {
  const optimized = path.join(APP, 'public/images/nextImageExportOptimizer');
  fs.rmSync(optimized, { recursive: true, force: true });
  fs.rmSync(path.join(APP, 'public/images/next-image-export-optimizer-hashes.json'), { force: true });
  fs.rmSync(path.join(APP, 'out/images/nextImageExportOptimizer'), { recursive: true, force: true });
  const args = ['node_modules/next-image-export-optimizer/dist/optimizeImages.js', '--nextConfigPath', 'next.config.js'];
  const cold = measure(args, APP);
  const warm = measure(args, APP);
  const files = (fs.readdirSync(optimized) as string[]).length;
  return { cold, warm, webpBytes: bytesUnder(optimized, (f) => f.endsWith('.WEBP')), files };
}

interface EdgeshipReport {
  encoded: number;
  bytes: { byFormat: Record<string, number>; originals: number };
}

function runEdgeship(names: string[], formats: string[], extra: Record<string, unknown> = {}): { cold: Measure; warm: Measure; rebuilt: Measure; report: EdgeshipReport } {
  const cli = path.join(ROOT, 'dist/cli/main.js');
  const build = () => {
    fs.rmSync(path.join(SITE, 'out'), { recursive: true, force: true });
    copyPhotos(names, path.join(SITE, 'out/images'));
    fs.writeFileSync(path.join(SITE, 'out/index.html'), `<!doctype html><title>bench</title>${names.map((n) => `<img src="/images/${n}" alt="">`).join('\n')}\n`);
  };
  fs.mkdirSync(SITE, { recursive: true });
  fs.writeFileSync(path.join(SITE, 'edgeship.config.json'), JSON.stringify({ site: 'out', images: { widths: [640, 1080, 1920], formats, quality: { webp: 75 }, ...extra } }));
  fs.rmSync(path.join(SITE, '.edgeship'), { recursive: true, force: true });
  build();
  const cold = measure([cli, 'images', '--json'], SITE);
  const warm = measure([cli, 'images', '--json'], SITE);
  build(); // the normal Next.js flow: the build deletes and recreates out/
  const rebuilt = measure([cli, 'images', '--json'], SITE);
  return { cold, warm, rebuilt, report: JSON.parse(cold.stdout) as EdgeshipReport };
}

const s = (m: Measure) => (m.wallMs / 1000).toFixed(2);
const r = (m: Measure) => m.rssMb.toFixed(0);
const c = (m: Measure) => (m.cpuMs / 1000).toFixed(1);
const mb = (b: number) => (b / 1e6).toFixed(2);

fs.mkdirSync(WORK, { recursive: true });
// process.exit() (which the reference calls) still runs 'exit' listeners.
fs.writeFileSync(RSS_PROBE, `process.on('exit', () => process.stderr.write('edgeship-bench-maxrss ' + process.resourceUsage().maxRSS + '\\n'));\n`);
const names = await benchmarkPhotos(PHOTOS);
console.log(`sources: ${names.length} files, ${mb(bytesUnder(PHOTOS, (f) => !f.endsWith('.tmp')))} MB`);
execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
setupReference(names);
const ref = runReference();
const ours = runEdgeship(names, ['webp']);
// The reference's outputs exactly: the WebP variants only (no resized fallback copies, originals as they are).
const same = runEdgeship(names, ['webp'], { fallback: 'original', optimizeOriginals: false });
const withAvif = process.argv.includes('--avif') ? runEdgeship(names, ['avif', 'webp']) : undefined;

const rows = [
  ['tool', 'run', 'wall s', 'CPU s', 'peak RSS MB', 'WebP bytes (MB)', 'other outputs'],
  ['next-image-export-optimizer 1.21.1', 'cold', s(ref.cold), c(ref.cold), r(ref.cold), mb(ref.webpBytes), `${ref.files} WebP files`],
  ['next-image-export-optimizer 1.21.1', 'warm', s(ref.warm), c(ref.warm), r(ref.warm), '', ''],
  ['edgeship images (WebP)', 'cold', s(ours.cold), c(ours.cold), r(ours.cold), mb(ours.report.bytes.byFormat.webp ?? 0), `also JPEG/PNG fallbacks ${mb((ours.report.bytes.byFormat.jpeg ?? 0) + (ours.report.bytes.byFormat.png ?? 0))} MB, originals optimized in place`],
  ['edgeship images (WebP)', 'warm', s(ours.warm), c(ours.warm), r(ours.warm), '', '0 encoded'],
  ['edgeship images (WebP)', 'warm, out/ rebuilt', s(ours.rebuilt), c(ours.rebuilt), r(ours.rebuilt), '', 'outputs copied from the cache'],
  ['edgeship images (WebP, `fallback: original`, `optimizeOriginals: false`)', 'cold', s(same.cold), c(same.cold), r(same.cold), mb(same.report.bytes.byFormat.webp ?? 0), 'the same 150 WebP files as the reference, nothing else'],
  ['edgeship images (WebP, `fallback: original`, `optimizeOriginals: false`)', 'warm', s(same.warm), c(same.warm), r(same.warm), '', ''],
];
if (withAvif) {
  rows.push(['edgeship images (AVIF+WebP)', 'cold', s(withAvif.cold), c(withAvif.cold), r(withAvif.cold), mb(withAvif.report.bytes.byFormat.webp ?? 0), `AVIF ${mb(withAvif.report.bytes.byFormat.avif ?? 0)} MB`]);
  rows.push(['edgeship images (AVIF+WebP)', 'warm', s(withAvif.warm), c(withAvif.warm), r(withAvif.warm), '', '']);
}
const table = [rows[0]!.join(' | '), rows[0]!.map(() => '---').join(' | '), ...rows.slice(1).map((r) => r.join(' | '))].map((l) => `| ${l} |`).join('\n');
console.log(`\n${table}\n`);
console.log(`cold speed-up ${(ref.cold.wallMs / ours.cold.wallMs).toFixed(2)}x with the default outputs, ${(ref.cold.wallMs / same.cold.wallMs).toFixed(2)}x with the reference's outputs (WebP bytes ${((same.report.bytes.byFormat.webp ?? 0) / ref.webpBytes).toFixed(3)} of the reference); warm ${(ours.cold.wallMs / ours.warm.wallMs).toFixed(0)}x faster than our cold run; WebP bytes ${((ours.report.bytes.byFormat.webp ?? 0) / ref.webpBytes).toFixed(3)} of the reference`);
fs.writeFileSync(path.join(WORK, 'images-bench.json'), JSON.stringify({ ref, ours, same, withAvif, table }, null, 2));
