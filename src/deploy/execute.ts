/**
 * The half of a deploy that runs once the store is read: plan, guards, apply in order,
 * invalidate, delete. Loaded by `deploySite` while the store listing is still on its way.
 */
import type { SiteModel } from '../config/model.js';
import type { TargetConfig } from '../config/schema.js';
import { compileTable, type BehaviorTable } from '../behavior/table.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import type { StoreLock } from '../store/lock.js';
import { applyPlan } from './apply.js';
import { classify, type KeyClass } from './classify.js';
import type { DeployOptions, DeployProgress, DeployReport } from './options.js';
import { DEPLOY_ERRORS } from './errors.js';
import { Slices } from './slices.js';
import { dryRunStore, guardDeleteRatio, guardNoDeleteOfWrites, limitDeletes, protectWrites } from './guards.js';
import { deliverInvalidation, planInvalidationPaths, type InvalidationOutcome } from './invalidation.js';
import { plan as makePlan, planTotals } from './plan.js';
import type { ScanResult } from './scan.js';
import type { LocalFile, Plan, RemoteObject } from './types.js';
import { Journal, JOURNAL_EVERY } from './journal.js';
import type { StoreContents } from './read-store.js';
import type { AtomicOutcome, PreparedAtomic } from './atomic/deploy.js';

/** The behavior table and each built key's headers and phase: what the plan needs that no store answer changes. */
export async function classifyBuild(site: SiteModel, files: readonly LocalFile[]): Promise<{ table: BehaviorTable; classes: Map<string, KeyClass> }> {
  const table = compileTable(site);
  const classes = new Map<string, KeyClass>();
  const slices = new Slices();
  for (const f of files) {
    classes.set(f.key, classify(table, f.key));
    if (slices.due()) await slices.yield();
  }
  return { table, classes };
}

/** What the deploy read from the store, with the remote objects filtered by deploy.exclude. */
export type StoreView = Omit<StoreContents, 'listed'> & { remote: RemoteObject[] };

/** The atomic plan for a site in atomic mode (loaded on use); a preview of an in-place site is refused. */
async function prepareAtomicIfSet(
  site: SiteModel,
  target: TargetConfig,
  targetName: string,
  store: ObjectStore,
  read: Parameters<typeof import('./atomic/deploy.js').prepareAtomic>[4],
  options: DeployOptions,
  now: Date,
): Promise<PreparedAtomic | undefined> {
  if (!site.deploy.atomic) {
    if (options.preview === undefined) return undefined;
    throw new EdgeshipError(DEPLOY_ERRORS.notAtomic, `deploy --preview ${options.preview}: ${site.configFile ?? 'the config'} does not set deploy.atomic, and a preview needs its own deploy prefix`, {
      exitCode: EXIT.usage,
      hint: 'set deploy: { atomic: true } (see docs/deploy.md, "Atomic deploys")',
    });
  }
  const { prepareAtomic } = await import('./atomic/deploy.js');
  return prepareAtomic(site, target, targetName, store, read, { preview: options.preview, kvsClient: options.kvsClient, now });
}

const writes = (plan: Plan) => plan.actions.filter((a) => a.action === 'upload' || a.action === 'update-metadata').length;

export async function planAndApply(
  store: ObjectStore,
  site: SiteModel,
  target: TargetConfig,
  targetName: string,
  scan: ScanResult,
  { remote, manifest, manifestEtag, journal, table, classes, lock }: StoreView & { table: BehaviorTable; classes: ReadonlyMap<string, KeyClass>; lock?: StoreLock },
  options: DeployOptions,
  started: number,
): Promise<DeployReport> {
  const now = options.now ?? (() => new Date());
  const progress = (step: DeployProgress['step'], done: number, total: number, bytes = 0, key?: string) => options.onProgress?.({ step, done, total, bytes, key });
  // 2. Plan, then the guards. An atomic site maps the build onto a new deploy prefix first.
  const atomic = await prepareAtomicIfSet(site, target, targetName, store, { files: scan.files, remote, manifest, journal, table, classes }, options, now());
  let plan = atomic?.atomic.plan ?? makePlan(scan.files, remote, manifest, table, now(), { retainSeconds: site.deploy.retain, retainDeploys: site.deploy.retainDeploys, classes, journal });
  plan = guardNoDeleteOfWrites(plan);
  plan = guardDeleteRatio(plan, { maxDeleteRatio: site.deploy.maxDeleteRatio, force: options.force });
  const paths = planInvalidationPaths(plan, site.defaultRootObject);
  progress('plan', 1, 1);
  const totals = planTotals(plan.actions);
  if (!options.dryRun && options.confirm && !(await options.confirm({ totals, target: targetName, store: store.location }))) {
    throw new EdgeshipError(DEPLOY_ERRORS.cancelled, 'deploy cancelled; nothing was changed', { exitCode: EXIT.refused });
  }

  // 3. Apply (in a dry run, against a store that records instead of writing).
  const deletes = plan.actions.filter((a) => a.action === 'delete').length;
  const writer = options.dryRun ? dryRunStore(store) : limitDeletes(protectWrites(store), deletes);
  let invalidation: InvalidationOutcome = { paths, via: 'none' };
  let published: AtomicOutcome | undefined;
  const callerReference = `edgeship-deploy-${plan.deployId}-${now().getTime()}`;
  const applied = await applyPlan(writer, plan, {
    concurrency: site.deploy.concurrency,
    // Under the lock the manifest is written only over the one read (If-Match), and every step
    // starts only while the lock is still this deploy's.
    manifestReadAt: lock ? (manifestEtag ?? null) : undefined,
    checkpoint: lock ? () => lock.assertHeld() : undefined,
    // A deploy of more writes than one journal batch records its progress as it goes; one that
    // resumes from a journal removes it once the manifest is written.
    journal: lock && (writes(plan) > JOURNAL_EVERY || journal) ? new Journal(store, manifestEtag, plan.deployId, journal, () => lock.assertHeld()) : undefined,
    onProgress: (p) => progress(p.step, p.done, p.total, p.bytes, p.key),
    invalidate: options.dryRun
      ? undefined
      : async () => {
          // An atomic switch needs no invalidation: the cache key follows the prefix. Its pointer
          // is the last write of the new build; only keys replaced in place (the error pages,
          // which CloudFront fetches without the function) are invalidated, after it.
          if (atomic) published = await atomic.publish(writer);
          if (!atomic || paths.length > 0) invalidation = await deliverInvalidation(site, target, store, paths, callerReference, { cloudfront: options.cloudfront, now });
        },
  });
  progress('done', 1, 1);
  if (applied.invalidationError) throw applied.invalidationError;

  return {
    dryRun: Boolean(options.dryRun),
    target: targetName,
    store: store.location,
    deployId: atomic ? atomic.atomic.record.id : plan.manifestChanged ? plan.deployId : plan.deployId - 1,
    changed: atomic ? !atomic.atomic.reused : plan.manifestChanged,
    ...(atomic && { atomic: published ?? atomic.outcome }),
    actions: plan.actions.map((a) => ({ key: a.key, action: a.action, reason: a.reason, bytes: a.bytes })),
    totals,
    invalidation,
    warnings: plan.warnings,
    scan: { files: scan.files.length, hashed: scan.hashed, fromCache: scan.fromCache, excluded: scan.excluded.length },
    timeMs: Math.round(performance.now() - started),
  };
}
