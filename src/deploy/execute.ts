/**
 * The steps of a deploy that run once the build is scanned: classify, plan, guard, apply in
 * order (invalidate, delete). Loaded by `deploySite` while the store listing is on its way.
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
import type { ManifestRead, StoreContents } from './read-store.js';
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

/** What the plan needs besides the build and the store: the table and each key's class. */
export interface Classified {
  table: BehaviorTable;
  classes: ReadonlyMap<string, KeyClass>;
}

/**
 * The atomic plan for a site in atomic mode (loaded on use): the build mapped onto a new deploy
 * prefix, and the pointer write that publishes it. A preview of an in-place site is refused.
 */
export async function prepareAtomicIfSet(
  plan: Omit<ApplyContext, 'lock' | 'started' | 'read'> & { read: StoreView; classified: Classified },
  options: DeployOptions,
  now: Date,
): Promise<PreparedAtomic | undefined> {
  const { site, target, targetName, store, scan, read, classified } = plan;
  if (!site.deploy.atomic) {
    if (options.preview === undefined) return undefined;
    throw new EdgeshipError(DEPLOY_ERRORS.notAtomic, `deploy --preview ${options.preview}: ${site.configFile ?? 'the config'} does not set deploy.atomic, and a preview needs its own deploy prefix`, {
      exitCode: EXIT.usage,
      hint: 'set deploy: { atomic: true } (see docs/deploy.md, "Atomic deploys")',
    });
  }
  const { prepareAtomic } = await import('./atomic/deploy.js');
  const { remote, manifest, journal } = read;
  return prepareAtomic(site, target, targetName, store, { files: scan.files, remote, manifest, journal, ...classified }, { preview: options.preview, kvsClient: options.kvsClient, now });
}

const writes = (plan: Plan) => plan.actions.filter((a) => a.action === 'upload' || a.action === 'update-metadata').length;

/** Whether applying the plan changes the store (and so needs the deploy lock). */
export const changesStore = (plan: Plan) => plan.manifestChanged || plan.actions.some((a) => a.action === 'upload' || a.action === 'update-metadata' || a.action === 'delete');

/** 3. Plan: the build diffed against the store and the manifest (pure). */
export function planDeploy(site: SiteModel, scan: ScanResult, { remote, manifest, journal }: StoreView, { table, classes }: Classified, now: Date): Plan {
  return makePlan(scan.files, remote, manifest, table, now, { retainSeconds: site.deploy.retain, retainDeploys: site.deploy.retainDeploys, classes, journal });
}

/**
 * Whether the build differs from what the manifest records: the plan made as if the store
 * held exactly the manifest's objects. Known one round trip after the start, long before the
 * listing, so a deploy that will write takes its lock while the listing is still on its way.
 */
export function differsFromManifest(site: SiteModel, scan: ScanResult, read: ManifestRead, classified: Classified, now: Date): boolean {
  const remote = Object.entries(read.manifest.entries).map(([key, e]) => ({ key, size: e.size, etag: e.etag, lastModified: new Date(0) }));
  return changesStore(planDeploy(site, scan, { ...read, remote }, classified, now));
}

/** 4. Guards: what the plan may not do without --force, and the user's confirmation. */
export async function guardPlan(plan: Plan, site: SiteModel, store: ObjectStore, targetName: string, options: DeployOptions): Promise<Plan> {
  let guarded = guardNoDeleteOfWrites(plan);
  guarded = guardDeleteRatio(guarded, { maxDeleteRatio: site.deploy.maxDeleteRatio, force: options.force });
  if (!options.dryRun && options.confirm && !(await options.confirm({ totals: planTotals(guarded.actions), target: targetName, store: store.location }))) {
    throw new EdgeshipError(DEPLOY_ERRORS.cancelled, 'deploy cancelled; nothing was changed', { exitCode: EXIT.refused });
  }
  return guarded;
}

export interface ApplyContext {
  store: ObjectStore;
  site: SiteModel;
  target: TargetConfig;
  targetName: string;
  scan: ScanResult;
  /** Present when the deploy holds the lock (always, unless a dry run or nothing to write). */
  lock?: StoreLock;
  read: ManifestRead;
  started: number;
  /** Present for a site in atomic mode: its pointer is the deploy's last write. */
  atomic?: PreparedAtomic;
}

/**
 * 5. Apply, in the order that keeps viewers safe (apply.ts), in a dry run against a store
 * that records instead of writing; then the report.
 */
export async function applyDeploy(plan: Plan, { store, site, target, targetName, scan, lock, read, started, atomic }: ApplyContext, options: DeployOptions): Promise<DeployReport> {
  const now = options.now ?? (() => new Date());
  const progress = (step: DeployProgress['step'], done: number, total: number, bytes = 0, key?: string) => options.onProgress?.({ step, done, total, bytes, key });
  const paths = planInvalidationPaths(plan, site.defaultRootObject);
  const totals = planTotals(plan.actions);
  const deletes = plan.actions.filter((a) => a.action === 'delete').length;
  const writer = options.dryRun ? dryRunStore(store) : limitDeletes(protectWrites(store), deletes);
  let invalidation: InvalidationOutcome = { paths, via: 'none' };
  let published: AtomicOutcome | undefined;
  const callerReference = `edgeship-deploy-${plan.deployId}-${now().getTime()}`;
  const { manifestEtag, journal } = read;
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
