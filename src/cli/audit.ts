/** `edgeship audit [URL]`: wiring only; the work is `auditSite` in src/audit. */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import type { AuditProgress, Severity } from '../audit/index.js';
import type { SiteModel } from '../config/model.js';
import { EDGE_DISCOVERY_FILE, edgeStateDir, type EdgeDiscovery } from '../edge/contracts.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import type { Io } from './io.js';
import type { Register } from './context.js';
import { progressBar } from './progress.js';

export interface AuditCommandOptions {
  target?: string;
  json?: boolean;
  junit?: string;
  maxPages?: number;
  concurrency?: number;
}

export const registerAudit: Register = (program, ctx) => {
  program
    .command('audit')
    .description('crawl a served site and check its caching, headers, types, compression, links and redirects; exit 1 on errors')
    .argument('[url]', 'origin to audit (default: the running local edge, or https://<domain> for another target)')
    .option('-t, --target <name>', 'also request every key of this target\'s store; without a URL, audit where the target is served')
    .option('--json', 'print the report as JSON')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per rule) for CI')
    .option('--max-pages <n>', 'most URLs to request', wholeNumber, 500)
    .option('--concurrency <n>', 'requests in flight at once', wholeNumber, 8)
    .action(async (url: string | undefined, opts: AuditCommandOptions) => {
      ctx.exitCode = await runAudit(url, opts, ctx.io, ctx.loadSite);
    });
};

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export async function runAudit(url: string | undefined, options: AuditCommandOptions, io: Io, loadSite: () => Promise<SiteModel>): Promise<number> {
  // Loaded on use: other commands start without the crawler.
  const [{ auditSite, formatJunit, formatReport }, { openStore }] = await Promise.all([import('../audit/index.js'), import('../store/open.js')]);
  const targetName = options.target ?? (url === undefined ? 'local' : undefined);
  let site: SiteModel | undefined;
  let store: ObjectStore | undefined;
  let baseUrl = url;
  if (targetName !== undefined) {
    site = await loadSite();
    const target = Object.hasOwn(site.targets, targetName) ? site.targets[targetName] : undefined;
    if (!target) {
      throw new EdgeshipError('UNKNOWN_TARGET', `no target "${targetName}" in ${site.configFile ?? 'the config'}`, {
        exitCode: EXIT.usage,
        hint: `targets: ${Object.keys(site.targets).join(', ')}`,
      });
    }
    store = openStore(target.store);
    if (baseUrl === undefined && targetName === 'local') {
      const edge = readDiscovery(site.rootDir);
      if (edge.storeLocation !== store.location) io.err(`warning: the running edge serves ${edge.storeLocation}, not the local target's ${store.location}`);
      baseUrl = edge.url;
    }
    baseUrl ??= defaultUrl(site, targetName);
  } else {
    // A bare URL: use the config's table and domain when there is a config, never the defaults.
    const loaded = await loadSite();
    if (loaded.configFile) site = loaded;
  }

  const progress = io.isTTY && !options.json ? await progressLine() : undefined;
  let report;
  try {
    report = await auditSite({
      baseUrl: baseUrl!,
      site,
      store,
      maxPages: options.maxPages,
      concurrency: options.concurrency,
      onProgress: progress?.update,
    });
  } finally {
    progress?.stop();
    // An s3 store keeps sockets open that would hold the process.
    (store as { destroy?: () => void } | undefined)?.destroy?.();
  }

  if (options.junit) {
    const file = path.resolve(io.cwd, options.junit);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatJunit(report));
  }
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatReport(report, io.isTTY ? paint : undefined));
  return report.ok ? EXIT.ok : EXIT.failed;
}

/** Where a target other than `local` is served when no URL is given: `https://<domain>`. */
function defaultUrl(site: SiteModel, targetName: string): string {
  if (site.domain) return `https://${site.domain}`;
  throw new EdgeshipError('AUDIT_NO_URL', `target "${targetName}" has no URL to audit`, {
    exitCode: EXIT.usage,
    hint: 'pass the site URL: edgeship audit https://example.com --target ' + targetName,
  });
}

export function readDiscovery(rootDir: string): EdgeDiscovery {
  const file = path.join(edgeStateDir(rootDir), EDGE_DISCOVERY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EdgeshipError('EDGE_NOT_RUNNING', `no local edge is running for ${rootDir} (${path.relative(rootDir, file)} is missing)`, {
      exitCode: EXIT.failed,
      hint: 'start it with `edgeship serve`, or pass the URL to audit',
    });
  }
  try {
    const discovery = JSON.parse(text) as EdgeDiscovery;
    if (typeof discovery.url !== 'string') throw new Error('no "url"');
    return discovery;
  } catch (error) {
    throw new EdgeshipError('EDGE_DISCOVERY_INVALID', `${file} is not a valid edge discovery file: ${(error as Error).message}`, {
      exitCode: EXIT.failed,
      hint: 'restart the local edge (`edgeship serve`) to rewrite it',
    });
  }
}

function paint(severity: Severity, text: string): string {
  return severity === 'error' ? pc.red(text) : severity === 'warning' ? pc.yellow(text) : pc.dim(text);
}

const PHASES: Record<AuditProgress['phase'], string> = { crawl: 'crawling', 'second-pass': 'second pass', redirects: 'redirects' };

/** One progress line on the terminal (stderr), only when it is a TTY. */
async function progressLine(): Promise<{ update(p: AuditProgress): void; stop(): void }> {
  const bar = await progressBar('audit {phase} [{bar}] {value}/{total}', { stream: process.stderr });
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, p.done, { phase: PHASES[p.phase] });
        started = true;
      }
      bar.setTotal(p.total);
      bar.update(p.done, { phase: PHASES[p.phase] });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
