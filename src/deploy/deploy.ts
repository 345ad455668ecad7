import type { SiteModel } from '../config/model.js';
import type { TargetConfig } from '../config/schema.js';
import { matchPattern } from '../behavior/pattern.js';
import type { ObjectStore } from '../store/types.js';
import { DEPLOY_ERRORS, badInput } from './errors.js';
import { cacheOrigin, HashCache, hashCacheFile } from './hash-cache.js';
import { matchEarlyRead } from './early-read.js';
import { readStore } from './read-store.js';
import { keyPrefix, underBasePath } from './base-path.js';
import { contentsUnderLock, takeDeployLock, type HeldDeployLock } from './deploy-lock.js';
import { scanSite } from './scan.js';
import { LocalKvs } from '../kvs/local-kvs.js';
import { writeRedirectKeys } from '../redirects/deploy-keys.js';
import { MULTIPART_PART_SIZE, openTargetStore } from './target.js';

import type { DeployOptions, DeployProgress, DeployReport } from './options.js';

export type { DeployOptions, DeployProgress, DeployReport, ReportAction } from './options.js';

export function resolveTarget(site: Pick<SiteModel, 'targets'>, name = 'local'): TargetConfig {
  const target = Object.hasOwn(site.targets, name) ? site.targets[name] : undefined;
  if (!target) {
    throw badInput(DEPLOY_ERRORS.unknownTarget, `there is no target "${name}" (configured: ${Object.keys(site.targets).map((t) => `"${t}"`).join(', ')})`, `add it under "targets" in the config, or pass one of those to --target`);
  }
  return target;
}

/**
 * Deploys the site folder to a target: scan, read the store, plan, guard, apply in order,
 * invalidate, delete. Returns what was done; throws EdgeshipError (with an exit code) when
 * the input is bad, a guard refuses, or the store fails.
 */
export async function deploySite(site: SiteModel, options: DeployOptions = {}): Promise<DeployReport> {
  const started = performance.now();
  const targetName = options.target ?? 'local';
  const target = resolveTarget(site, targetName);
  const progress = (step: DeployProgress['step'], done: number, total: number, bytes = 0, key?: string) => options.onProgress?.({ step, done, total, bytes, key });

  // 1. Scan the build while the store is listed (the listing starts first: it is the longer
  //    wait). Nothing is written before both are done, so a missing or empty build (refused
  //    by the scan) never turns into deletes.
  progress('scan', 0, 1);
  const multipart = { threshold: site.deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE };
  // --force hashes every file again (and rewrites the cache).
  const cache = HashCache.load(hashCacheFile(site.rootDir), `${multipart.threshold}/${multipart.partSize}`, cacheOrigin(site.siteDir), { trust: !options.force });
  const scan = async () => underBasePath(await scanSite(site.siteDir, { exclude: site.deploy.exclude, multipart, cache }), site.basePath);
  const early = options.store ? undefined : matchEarlyRead(options.early, target.store, site.deploy);
  let store: ObjectStore;
  try {
    store = options.store ?? early?.store ?? (await openTargetStore(target.store, site.deploy));
  } catch (error) {
    await scan(); // a missing build is the error reported first
    throw error;
  }
  // 2. One deploy at a time per target: the lock is taken once the build is scanned (a missing
  //    or broken build writes nothing, not even a lock), and the store's listing, started
  //    before it, is used only if the manifest is still the one it saw. A dry run writes
  //    nothing and takes no lock.
  const stalls = watchStalls(store, options.onWaiting);
  let locking: Promise<HeldDeployLock> | undefined;
  let scannedOk = false;
  try {
    const listing = early?.contents ?? readStore(store);
    listing.catch(() => undefined); // awaited below, after the scan
    // The planning half loads while the store answers (its modules are a tenth of the start-up).
    const loading = import('./execute.js');
    loading.catch(() => undefined);
    const scanned = await scan();
    scannedOk = true;
    if (!options.dryRun) {
      locking = takeDeployLock(store, { ...options.lock, wait: options.wait ?? options.lock?.wait, now: options.now });
      locking.catch(() => undefined); // awaited below
    }
    const { classifyBuild, planAndApply } = await loading;
    // The plan's local half, done while the listing is still on its way.
    const { table, classes } = await classifyBuild(site, scanned.files);
    progress('scan', 1, 1);
    const held = await locking;
    progress('read', 0, 1);
    const reading = held ? contentsUnderLock(store, listing, () => readStore(store)) : listing;
    const { listed, ...contents } = await reading;
    // Keys deploy.exclude names are left alone in the store too: never uploaded, never deleted.
    const remote = listed.filter((o) => !site.deploy.exclude.some((p) => matchPattern(keyPrefix(site.basePath) + p, o.key)));
    progress('read', 1, 1);
    const report = await planAndApply(store, site, target, targetName, scanned, { ...contents, remote, table, classes, lock: held?.lock }, options, early?.startedAt ?? started);
    report.warnings.unshift(...(held?.warnings ?? []));
    const redirects = await writeRedirectKeys(site, scanned.files.map((f) => f.key), new LocalKvs(store), options.dryRun);
    if (redirects) report.redirects = redirects;
    // Written at the end: the later the cache's own mtime, the fewer entries are racily clean
    // (files written in the same clock tick as the cache, which are hashed again next time).
    cache.save();
    await held?.lock.release();
    return report;
  } catch (error) {
    // After a failure, what can be kept is kept and the lock goes as far as it can (it expires
    // if the store is unreachable); the failure itself is what is reported.
    if (scannedOk) ignoreFailure(() => cache.save());
    const held = await locking?.catch(() => undefined);
    await held?.lock.release().catch(() => undefined);
    throw error;
  } finally {
    clearInterval(stalls);
    // A store this call opened is closed here (its sockets would keep the process alive).
    if (!options.store && store !== early?.store) (store as { destroy?: () => void }).destroy?.();
  }
}

function ignoreFailure(fn: () => void): void {
  try {
    fn();
  } catch {
    // secondary to the error being reported
  }
}

/** Requests older than this count as waiting on the store. */
const STALL_MS = 2_000;

/** Reports, once a second, requests that have waited on the store for more than STALL_MS. */
function watchStalls(store: ObjectStore, onWaiting: DeployOptions['onWaiting']): NodeJS.Timeout | undefined {
  if (!onWaiting || !store.waiting) return undefined;
  const timer = setInterval(() => {
    const waiting = store.waiting!();
    if (waiting.requests > 0 && waiting.oldestMs >= STALL_MS) onWaiting(waiting);
  }, 1_000);
  timer.unref();
  return timer;
}
