import type { RedirectKeysOutcome } from '../redirects/deploy-keys.js';
import type { ObjectStore } from '../store/types.js';
import type { ApplyStep } from './apply.js';
import type { DeployLockOptions } from './deploy-lock.js';
import type { EarlyRead } from './early-read.js';
import type { CloudFrontInvalidationOptions } from './invalidate-cloudfront.js';
import type { InvalidationOutcome } from './invalidation.js';
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import type { AtomicOutcome } from './atomic/deploy.js';
import type { ActionKind, PlanTotals, PlanWarning } from './types.js';

// What a deploy takes and gives, apart from deploy.ts: execute.ts (the planning half, loaded
// while the store answers) needs these types, and importing them from deploy.ts was a circle.

export interface DeployProgress {
  step: 'scan' | 'read' | 'plan' | ApplyStep | 'done';
  done: number;
  total: number;
  key?: string;
  bytes: number;
}

export interface DeployOptions {
  /** Name of a target in the config; default `local` (the embedded store). */
  target?: string;
  dryRun?: boolean;
  /** Apply a plan that the delete guard refuses, and hash every file again (the hash cache is not read). */
  force?: boolean;
  onProgress?: (progress: DeployProgress) => void;
  /**
   * Called every second while requests have waited on the store for more than two seconds:
   * how many are waiting, and for how long the oldest has.
   */
  onWaiting?: (waiting: { requests: number; oldestMs: number }) => void;
  /** Wait for a running deploy to the same target instead of failing (`--wait`). */
  wait?: boolean;
  /** Lock timing (tests): ttl, settle and poll times, the sleep used while waiting. */
  lock?: DeployLockOptions;
  /** The clock (retention, manifest times, the lock's start and expiry). */
  now?: () => Date;
  /** Use this store instead of opening the target's. */
  store?: ObjectStore;
  /**
   * A read of the target's store started before the config was validated; used when the
   * validated target opens the same store (the caller closes it either way).
   */
  early?: EarlyRead;
  cloudfront?: CloudFrontInvalidationOptions;
  /** Atomic mode: deploy as a preview of this name (served at `<name>.<deploy.previewDomain>`); the live pointer stays. */
  preview?: string;
  /** Client of the CloudFront KeyValueStore API (tests); default one from the environment. */
  kvsClient?: CloudFrontKeyValueStoreClient;
  /** Asked before anything is written, with the plan's totals; `false` cancels (exit 3). */
  confirm?: (summary: { totals: PlanTotals; target: string; store: string }) => Promise<boolean>;
}

export interface ReportAction {
  key: string;
  action: ActionKind;
  reason: string;
  bytes: number;
}

export interface DeployReport {
  dryRun: boolean;
  target: string;
  store: string;
  /** The deploy's number in the manifest; for a deploy that changed nothing, the deploy it matches. */
  deployId: number;
  /** False when the store already matched the build: nothing was written or counted. */
  changed: boolean;
  actions: ReportAction[];
  totals: PlanTotals;
  invalidation: InvalidationOutcome;
  warnings: PlanWarning[];
  /** Atomic mode: the deploy the pointer now names, and where the pointer was written. */
  atomic?: AtomicOutcome;
  scan: { files: number; hashed: number; fromCache: number; excluded: number };
  timeMs: number;
  /** The `_redirects` keys written into the KeyValueStore data, when the site has that file. */
  redirects?: RedirectKeysOutcome;
}
