/**
 * What `deploys`, `rollback` and `previews` do on an atomic target: read the history and the
 * pointers, move a pointer (one KeyValueStore write, under the deploy lock), remove previews.
 * The CLI prints; these return data.
 */
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import type { SiteModel } from '../../config/model.js';
import { EdgeshipError, EXIT } from '../../errors.js';
import { KVS_KEYS } from '../../kvs/keys.js';
import type { SiteKvs } from '../../kvs/site-kvs.js';
import type { ObjectStore } from '../../store/types.js';
import { assertProvisioned } from '../../synth/production-target.js';
import { resolveTarget } from '../deploy.js';
import { takeDeployLock, type DeployLockOptions } from '../deploy-lock.js';
import { DEPLOY_ERRORS } from '../errors.js';
import { openTargetStore } from '../target.js';
import { readHistory, writeHistory } from './history-store.js';
import { availableDeploy, keptDeploys, pointersFrom, previousDeploy, recordDeploy, type DeployHistory, type DeployRecord, type Pointers } from './history.js';
import { deployPrefix } from './keys.js';
import { openSiteKvs } from '../../kvs/open.js';
import { writePointer } from './pointer.js';

export interface AtomicTargetOptions {
  target?: string;
  store?: ObjectStore;
  kvsClient?: CloudFrontKeyValueStoreClient;
  lock?: DeployLockOptions;
  now?: () => Date;
}

interface AtomicTarget {
  name: string;
  store: ObjectStore;
  kvs: SiteKvs;
  close(): void;
}

async function openAtomicTarget(site: SiteModel, command: string, options: AtomicTargetOptions): Promise<AtomicTarget> {
  if (!site.deploy.atomic) {
    throw new EdgeshipError(DEPLOY_ERRORS.notAtomic, `edgeship ${command}: ${site.configFile ?? 'the config'} does not set deploy.atomic: its deploys replace files in place, there is no deploy history to use`, {
      exitCode: EXIT.usage,
      hint: 'set deploy: { atomic: true } and deploy (see docs/deploy.md, "Atomic deploys")',
    });
  }
  const name = options.target ?? 'local';
  const target = resolveTarget(site, name);
  assertProvisioned(target, name, site.configFile);
  const store = options.store ?? (await openTargetStore(target.store, site.deploy));
  const close = () => {
    if (!options.store) (store as { destroy?: () => void }).destroy?.();
  };
  try {
    return { name, store, kvs: await openSiteKvs(target, name, store, options.kvsClient), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** Runs `fn` holding the target's deploy lock: no deploy, rollback or prune runs beside it. */
async function underLock<T>(t: AtomicTarget, options: AtomicTargetOptions, fn: () => Promise<T>): Promise<T> {
  const held = await takeDeployLock(t.store, { ...options.lock, now: options.now });
  try {
    return await fn();
  } finally {
    await held.lock.release().catch(() => undefined);
  }
}

async function withTarget<T>(site: SiteModel, command: string, options: AtomicTargetOptions, fn: (t: AtomicTarget) => Promise<T>): Promise<T> {
  const t = await openAtomicTarget(site, command, options);
  try {
    return await fn(t);
  } finally {
    t.close();
  }
}

async function readState(t: AtomicTarget): Promise<{ history: DeployHistory; pointers: Pointers }> {
  const [history, entries] = await Promise.all([readHistory(t.store), t.kvs.read()]);
  return { history, pointers: pointersFrom(entries) };
}

export interface DeployRow extends Omit<DeployRecord, 'shared' | 'digest'> {
  live: boolean;
  /** Preview hosts that point at this deploy. */
  previews: string[];
}

/** The history, newest first, with the live marker and the preview hosts of each deploy. */
export async function listDeploys(site: SiteModel, options: AtomicTargetOptions = {}): Promise<{ target: string; kvs: string; deploys: DeployRow[] }> {
  return withTarget(site, 'deploys', options, async (t) => {
    const { history, pointers } = await readState(t);
    const deploys = [...history.deploys].reverse().map(({ shared: _s, digest: _d, ...d }) => ({
      ...d,
      live: pointers.live === d.id,
      previews: Object.entries(pointers.hosts).filter(([, id]) => id === d.id).map(([host]) => host),
    }));
    return { target: t.name, kvs: t.kvs.location, deploys };
  });
}

export interface RollbackResult {
  target: string;
  from?: number;
  to: number;
  /** False when the pointer already named that deploy (nothing written). */
  changed: boolean;
  kvs: string;
}

/** Moves the live pointer to `id` (or the deploy before the live one): one write, no upload. */
export async function rollback(site: SiteModel, to: number | 'previous', options: AtomicTargetOptions = {}): Promise<RollbackResult> {
  return withTarget(site, 'rollback', options, (t) =>
    underLock(t, options, async () => {
      const { history, pointers } = await readState(t);
      const record = to === 'previous' ? previousOrFail(history, pointers.live) : availableDeploy(history, to);
      if (record.preview !== undefined) {
        throw new EdgeshipError('DEPLOY_IS_PREVIEW', `deploy #${record.id} is the preview "${record.preview}": it did not store the site's error pages for the live site`, {
          exitCode: EXIT.usage,
          hint: 'deploy that build without --preview (it reuses the uploaded files), or roll back to a live deploy listed by edgeship deploys',
        });
      }
      const update = await writePointer(t.kvs, record.id);
      return { target: t.name, ...(pointers.live !== undefined && { from: pointers.live }), to: record.id, changed: update.put > 0, kvs: t.kvs.location };
    }),
  );
}

function previousOrFail(history: DeployHistory, live: number | undefined): DeployRecord {
  const previous = previousDeploy(history, live);
  if (previous) return previous;
  throw new EdgeshipError('NO_PREVIOUS_DEPLOY', `there is no deploy before the live one${live !== undefined ? ` (#${live})` : ''} to roll back to`, {
    exitCode: EXIT.usage,
    hint: 'list the available deploys with edgeship deploys',
  });
}

export interface PreviewRow {
  host: string;
  id: number;
  name?: string;
  at?: string;
  branch?: string;
}

export async function listPreviews(site: SiteModel, options: AtomicTargetOptions = {}): Promise<{ target: string; previews: PreviewRow[] }> {
  return withTarget(site, 'previews', options, async (t) => {
    const { history, pointers } = await readState(t);
    return { target: t.name, previews: previewRows(history, pointers) };
  });
}

function previewRows(history: DeployHistory, pointers: Pointers): PreviewRow[] {
  return Object.entries(pointers.hosts)
    .map(([host, id]) => {
      const d = history.deploys.find((r) => r.id === id);
      return { host, id, ...(d?.preview && { name: d.preview }), ...(d && { at: d.at }), ...(d?.branch && { branch: d.branch }) };
    })
    .sort((a, b) => (a.host < b.host ? -1 : 1));
}

export interface PruneResult {
  target: string;
  dryRun: boolean;
  /** The preview hosts removed from the KeyValueStore. */
  removed: PreviewRow[];
  /** Deploys whose files were (or would be) deleted: neither live, nor in the rollback window, nor another preview's. */
  prunedDeploys: number[];
  deletedObjects: number;
}

/**
 * Removes every preview (or the named ones): their host keys first, in one KeyValueStore
 * update, then the files of their deploys that nothing else keeps. A dry run lists and changes nothing.
 */
export async function prunePreviews(site: SiteModel, options: AtomicTargetOptions & { names?: string[]; dryRun?: boolean } = {}): Promise<PruneResult> {
  return withTarget(site, 'previews --prune', options, (t) =>
    underLock(t, options, async () => {
      const { history, pointers } = await readState(t);
      const rows = previewRows(history, pointers).filter((r) => !options.names?.length || options.names.includes(r.name ?? '') || options.names.includes(r.host));
      const hosts = Object.fromEntries(Object.entries(pointers.hosts).filter(([host]) => !rows.some((r) => r.host === host)));
      const kept = keptDeploys(history, { ...pointers, hosts }, site.deploy.retainDeploys);
      const prunedDeploys = [...new Set(rows.map((r) => r.id))].filter((id) => !kept.has(id));
      const keys: string[] = [];
      for (const id of prunedDeploys) for await (const o of t.store.list(deployPrefix(id))) keys.push(o.key);
      if (!options.dryRun && rows.length > 0) {
        await t.kvs.update({ delete: rows.map((r) => KVS_KEYS.host(r.host)) });
        await writeHistory(t.store, recordDeploy(history, undefined, new Set(history.deploys.map((d) => d.id).filter((id) => !prunedDeploys.includes(id)))));
        const result = await t.store.deleteMany(keys);
        if (result.errors.length > 0) {
          throw new EdgeshipError(DEPLOY_ERRORS.deleteFailed, `${result.errors.length} of ${keys.length} deletes failed in ${t.store.location}: ${result.errors.slice(0, 5).map((e) => `${e.key}: ${e.message}`).join('; ')}`, {
            exitCode: EXIT.failed,
            hint: 'the previews are already gone from the KeyValueStore; the next deploy deletes the files left behind',
          });
        }
      }
      return { target: t.name, dryRun: Boolean(options.dryRun), removed: rows, prunedDeploys, deletedObjects: keys.length };
    }),
  );
}
