/**
 * A deploy's start-up: the store opened and its first requests sent while the rest of the
 * deploy loads and scans. The tricks that move start-up work off the critical path are here,
 * each with what it was measured to buy (bench/deploy on loopback, docs/deploy.md):
 * - the early read: the listing and manifest requested from the config as read, before the
 *   schema library loads and checks it (~0.1 s off the first request);
 * - the planning half (execute.ts) loaded while the store answers (a tenth of the start-up).
 * The S3 store's own one (the SDK required, not imported: ~90 ms) is in s3-store.ts.
 * Each still waits for a side-by-side run at a 30 ms round trip on an unloaded machine.
 */
import type { SiteModel } from '../config/model.js';
import type { TargetConfig } from '../config/schema.js';
import type { ObjectStore } from '../store/types.js';
import { matchEarlyRead } from './early-read.js';
import type { DeployOptions } from './options.js';
import { readStore, type StoreReading } from './read-store.js';
import { openTargetStore } from './target.js';

export interface DeployStart {
  store: ObjectStore;
  /** The listing and the manifest read, under way. */
  reading: StoreReading;
  /** The plan and apply half of the deploy, loading. */
  steps: Promise<typeof import('./execute.js')>;
  /** `performance.now()` when the deploy's first work started. */
  startedAt: number;
  /** Closes a store this deploy opened (its sockets would keep the process alive). */
  close(): void;
}

/**
 * Opens the target's store and starts reading it. The scan is passed in so that a store that
 * cannot be opened is reported after a missing build (the error a user fixes first).
 */
export async function startDeploy(site: SiteModel, target: TargetConfig, options: DeployOptions, scan: () => Promise<unknown>): Promise<DeployStart> {
  const startedAt = performance.now();
  // Early read (src/deploy/early-read.ts): the CLI lists the store from the config as read,
  // before the schema library loads and checks it. Used when the checked config opens the
  // very same store.
  const early = options.store ? undefined : matchEarlyRead(options.early, target.store, site.deploy);
  let store: ObjectStore;
  try {
    store = options.store ?? early?.store ?? (await openTargetStore(target.store, site.deploy));
  } catch (error) {
    await scan(); // a missing build is the error reported first
    throw error;
  }
  const reading = early?.reading ?? readStore(store);
  // The planning half loads while the store answers (its modules are a tenth of the start-up).
  const steps = import('./execute.js');
  steps.catch(() => undefined); // awaited after the scan; a failure to load is reported there
  const opened = !options.store && store !== early?.store;
  return {
    store,
    reading,
    steps,
    startedAt: early?.startedAt ?? startedAt,
    close: () => {
      if (opened) (store as { destroy?: () => void }).destroy?.();
    },
  };
}
