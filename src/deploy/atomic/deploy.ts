/**
 * The atomic half of a deploy, hooked into the in-place one (execute.ts): it reads the history
 * and the pointers, plans with planAtomic, and after the manifest writes the history and then
 * the pointer, the deploy's last write. A deploy stopped before that write leaves the pointer
 * on the previous complete deploy; a re-run finds the uploaded build and only moves the pointer.
 */
import type { BehaviorTable } from '../../behavior/table.js';
import type { SiteModel } from '../../config/model.js';
import type { TargetConfig } from '../../config/schema.js';
import type { SiteKvs } from '../../kvs/site-kvs.js';
import type { ObjectStore } from '../../store/types.js';
import type { KeyClass } from '../classify.js';
import type { Manifest, ManifestEntry, RemoteObject, LocalFile } from '../types.js';
import { gitInfo } from './git.js';
import { readHistory, writeHistory } from './history-store.js';
import { pointersFrom } from './history.js';
import { previewHost } from './keys.js';
import { planAtomic, type AtomicPlan } from './plan.js';
import { openSiteKvs } from '../../kvs/open.js';
import { writePointer } from './pointer.js';
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';

export interface AtomicDeployOptions {
  preview?: string;
  kvsClient?: CloudFrontKeyValueStoreClient;
  now: Date;
}

export interface AtomicOutcome {
  id: number;
  reused: boolean;
  preview?: { name: string; host: string };
  /** Where the pointer was written. */
  kvs: string;
  /** When the pointer was written, in ms since the process started (the switch time of a CLI run). */
  pointerAtMs?: number;
}

export interface PreparedAtomic {
  atomic: AtomicPlan;
  /** What the pointer will name (a dry run reports this; a deploy reports what publish returns). */
  outcome: AtomicOutcome;
  kvs: SiteKvs;
  /** Writes the history, then the pointer. */
  publish(store: ObjectStore): Promise<AtomicOutcome>;
}

export async function prepareAtomic(
  site: SiteModel,
  target: TargetConfig,
  targetName: string,
  store: ObjectStore,
  read: { files: readonly LocalFile[]; remote: RemoteObject[]; manifest: Manifest; journal?: Record<string, ManifestEntry>; table: BehaviorTable; classes: ReadonlyMap<string, KeyClass> },
  options: AtomicDeployOptions,
): Promise<PreparedAtomic> {
  const host = options.preview === undefined ? undefined : previewHost(options.preview, site.deploy.previewDomain);
  const kvs = await openSiteKvs(target, targetName, store, options.kvsClient);
  const [history, entries] = await Promise.all([readHistory(store), kvs.read()]);
  const atomic = planAtomic({
    ...read,
    history,
    pointers: pointersFrom(entries),
    now: options.now,
    retainSeconds: site.deploy.retain,
    retainDeploys: site.deploy.retainDeploys,
    errorPages: errorPageKeys(site),
    preview: options.preview,
    previewHost: host,
    git: gitInfo(site.rootDir),
  });
  const outcome: AtomicOutcome = { id: atomic.record.id, reused: atomic.reused, ...(host && { preview: { name: options.preview!, host } }), kvs: kvs.location };
  return {
    atomic,
    outcome,
    kvs,
    async publish(writer) {
      if (!atomic.reused) await writeHistory(writer, atomic.history);
      await writePointer(kvs, atomic.record.id, host);
      return { ...outcome, pointerAtMs: Math.round(performance.now()) };
    },
  };
}

/** The stored keys of the custom error pages (`/404.html` -> `404.html`, under the base path as configured). */
function errorPageKeys(site: SiteModel): string[] {
  return site.errors.flatMap((e) => (e.page ? [e.page.replace(/^\/+/, '')] : []));
}
