import { RESERVED_PREFIX } from '../edge/contracts.js';
import { acquireLock, type LockOptions, type StoreLock } from '../store/lock.js';
import type { ObjectStore } from '../store/types.js';
import { MANIFEST_KEY } from './manifest.js';
import type { StoreContents } from './read-store.js';
import type { PlanWarning } from './types.js';

/** The lock object of deploys to one target, beside the manifest. */
export const DEPLOY_LOCK_KEY = `${RESERVED_PREFIX}deploy-lock.json`;

/** A deploy holds the lock this long without a refresh (it refreshes every third of it). */
export const DEPLOY_LOCK_TTL_MS = 5 * 60_000;

export type DeployLockOptions = Partial<Omit<LockOptions, 'now'>>;

/** What a deploy holds while it writes, and what it tells the user about it. */
export interface HeldDeployLock {
  lock: StoreLock;
  warnings: PlanWarning[];
}

/**
 * Takes the target's deploy lock: one deploy at a time per target, so two builds never mix
 * and two manifests never overwrite each other. A second deploy fails naming the running one
 * (or waits with `wait`); an expired lock of a killed deploy is taken over with a warning; a
 * store that ignores conditional writes gets a checked lock, and a warning says so.
 */
export async function takeDeployLock(store: ObjectStore, options: DeployLockOptions & { now?: () => Date }): Promise<HeldDeployLock> {
  const { lock, mode, tookOver } = await acquireLock(store, DEPLOY_LOCK_KEY, { ttlMs: DEPLOY_LOCK_TTL_MS, ...options });
  const now = options.now;
  const warnings: PlanWarning[] = [];
  if (tookOver) {
    warnings.push({
      code: 'LOCK_TAKEN_OVER',
      key: DEPLOY_LOCK_KEY,
      message: `took over the deploy lock of ${tookOver.owner}, started ${tookOver.startedAt}, ${Date.parse(tookOver.expiresAt) <= (now ?? (() => new Date()))().getTime() ? `expired ${tookOver.expiresAt}` : 'whose process no longer runs'} (a deploy that stopped without finishing; this one converges the store)`,
    });
  }
  if (mode === 'checked') {
    warnings.push({
      code: 'LOCK_CHECKED',
      key: DEPLOY_LOCK_KEY,
      message: `${store.location} ignores conditional writes (If-None-Match, If-Match): the deploy lock was written, read back and compared instead, which two deploys starting within the same second can both pass (see docs/store.md)`,
    });
  }
  return { lock, warnings };
}

/**
 * The store read to plan against once the lock is held. A read started before the lock (while
 * the build was scanned, or the early listing) is used only while the manifest is still the
 * one it saw: a deploy that finished in between changed it, and the store is read again.
 */
export async function contentsUnderLock(store: ObjectStore, early: Promise<StoreContents>, readAgain: () => Promise<StoreContents>): Promise<StoreContents> {
  const [contents, head] = await Promise.all([early, store.head(MANIFEST_KEY)]);
  return head?.etag === contents.manifestEtag ? contents : readAgain();
}

/** The deploy lock of one deploy: taken at most once, when the deploy knows it will write. */
export interface DeployLock {
  /** Starts taking the lock (once); resolves when it is held. */
  take(): Promise<HeldDeployLock>;
  /** The lock once held, or `undefined` when it was not taken. */
  held(): Promise<HeldDeployLock | undefined>;
  /** Releases the lock if it was taken, after a failure: a failure to release is secondary. */
  releaseQuietly(): Promise<void>;
}

export function deployLock(store: ObjectStore, options: { lock?: DeployLockOptions; wait?: boolean; now?: () => Date }): DeployLock {
  let taking: Promise<HeldDeployLock> | undefined;
  const take = () => {
    taking ??= takeDeployLock(store, { ...options.lock, wait: options.wait ?? options.lock?.wait, now: options.now });
    taking.catch(() => undefined); // awaited by held() or take()
    return taking;
  };
  return {
    take,
    held: async () => (taking === undefined ? undefined : await taking),
    releaseQuietly: async () => {
      const held = await taking?.catch(() => undefined);
      await held?.lock.release().catch(() => undefined);
    },
  };
}
