import type { SiteModel } from '../config/model.js';
import type { TargetConfig } from '../config/schema.js';
import { matchPattern } from '../behavior/pattern.js';
import type { ObjectStore } from '../store/types.js';
import { DEPLOY_ERRORS, badInput } from './errors.js';
import { cacheOrigin, HashCache, hashCacheFile } from './hash-cache.js';
import { readStore, type StoreContents } from './read-store.js';
import type { StoreView } from './execute.js';
import { startDeploy } from './startup.js';
import { keyPrefix, underBasePath } from './base-path.js';
import { contentsUnderLock, deployLock } from './deploy-lock.js';
import { scanSite } from './scan.js';
import { openSiteKvs } from '../kvs/open.js';
import { writeRedirectKeys } from '../redirects/deploy-keys.js';
import { MULTIPART_PART_SIZE } from './target.js';

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
 * Deploys the site folder to a target, in the design's five steps: scan the build, read the
 * store, plan, guard, apply in order (then invalidate and delete). Returns what was done;
 * throws EdgeshipError (with an exit code) when the input is bad, a guard refuses, or the
 * store fails.
 */
export async function deploySite(site: SiteModel, options: DeployOptions = {}): Promise<DeployReport> {
  const targetName = options.target ?? 'local';
  const target = resolveTarget(site, targetName);
  const now = options.now ?? (() => new Date());
  const progress = (step: DeployProgress['step'], done: number, total: number) => options.onProgress?.({ step, done, total, bytes: 0 });
  progress('scan', 0, 1);
  const multipart = { threshold: site.deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE };
  // --force hashes every file again (and rewrites the cache).
  const cache = HashCache.load(hashCacheFile(site.rootDir), `${multipart.threshold}/${multipart.partSize}`, cacheOrigin(site.siteDir), { trust: !options.force });
  const scan = async () => underBasePath(await scanSite(site.siteDir, { exclude: site.deploy.exclude, multipart, cache }), site.basePath);
  // The store is opened and read from here on, while the build is scanned.
  const start = await startDeploy(site, target, options, scan);
  const { store } = start;
  const stalls = watchStalls(store, options.onWaiting);
  const lock = deployLock(store, options);
  let scannedOk = false;
  try {
    // 1. Scan. Nothing is written before it is done, so a missing or empty build (refused by
    //    the scan) never turns into deletes, nor even a lock.
    const scanned = await scan();
    scannedOk = true;
    const steps = await start.steps;
    const classified = await steps.classifyBuild(site, scanned.files);
    progress('scan', 1, 1);

    // 2. Read the store. One deploy at a time per target: a deploy that writes holds the lock,
    //    taken as soon as the manifest shows the build differs from it (while the listing is
    //    still on its way); a read started before the lock is used only if the manifest is
    //    still the one it saw. A dry run, or a deploy with nothing to write, takes none.
    const read = await start.reading.manifest;
    // An atomic deploy always writes (its pointer, at least): it takes the lock at once.
    if (!options.dryRun && (site.deploy.atomic || steps.differsFromManifest(site, scanned, read, classified, now()))) lock.take();
    let held = await lock.held();
    progress('read', 0, 1);
    const view = async (reading: Promise<StoreContents>) => remoteView(site, held ? await contentsUnderLock(store, reading, () => readStore(store).contents) : await reading);
    let contents = await view(start.reading.contents);
    progress('read', 1, 1);

    // 3. Plan (pure), against what was read; an atomic site maps the build onto a new deploy prefix.
    const atomic = await steps.prepareAtomicIfSet({ site, target, targetName, store, scan: scanned, read: contents, classified }, options, now());
    let plan = atomic?.atomic.plan ?? steps.planDeploy(site, scanned, contents, classified, now());
    if (!atomic && !options.dryRun && !held && steps.changesStore(plan)) {
      // The store differs from its manifest (changed by hand, or by another tool): the lock
      // is taken now, and the store read again under it.
      held = await lock.take();
      contents = await view(Promise.resolve({ ...contents, listed: contents.remote }));
      plan = steps.planDeploy(site, scanned, contents, classified, now());
    }
    progress('plan', 1, 1);

    // 4. Guard. A target with nowhere to write the redirect rules is refused before any upload.
    const redirectKvs = site.redirects ? await openSiteKvs(target, targetName, store, options.kvsClient) : undefined;
    plan = await steps.guardPlan(plan, site, store, targetName, options);

    // 5. Apply.
    const report = await steps.applyDeploy(plan, { store, site, target, targetName, scan: scanned, lock: held?.lock, read: contents, started: start.startedAt, atomic }, options);
    report.warnings.unshift(...(held?.warnings ?? []));
    if (redirectKvs) report.redirects = await writeRedirectKeys(site, scanned.files.map((f) => f.key), redirectKvs, options.dryRun);
    // Written at the end: the later the cache's own mtime, the fewer entries are racily clean
    // (files written in the same clock tick as the cache, which are hashed again next time).
    cache.save();
    await held?.lock.release();
    return report;
  } catch (error) {
    // After a failure, what can be kept is kept and the lock goes as far as it can (it expires
    // if the store is unreachable); the failure itself is what is reported.
    if (scannedOk) ignoreFailure(() => cache.save());
    await lock.releaseQuietly();
    throw error;
  } finally {
    clearInterval(stalls);
    start.close();
  }
}

/** The remote objects the plan compares with: keys deploy.exclude names are left alone in the store too, never uploaded, never deleted. */
function remoteView(site: SiteModel, { listed, ...read }: StoreContents): StoreView {
  const remote = listed.filter((o) => !site.deploy.exclude.some((p) => matchPattern(keyPrefix(site.basePath) + p, o.key)));
  return { ...read, remote };
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
