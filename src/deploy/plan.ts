import type { BehaviorTable } from '../behavior/table.js';
import { RESERVED_PREFIX } from '../edge/contracts.js';
import { classify, uploadPhase, type KeyClass } from './classify.js';
import { hasContentHash } from '../behavior/hashed-name.js';
import { etagMatches } from './etag.js';
import { MANIFEST_HISTORY } from './manifest.js';
import type { LiveCounts, LocalFile, Manifest, ManifestEntry, Plan, PlanAction, PlanWarning, RemoteObject } from './types.js';

export interface PlanOptions {
  /** Seconds a removed content-hashed immutable asset is kept (`deploy.retain`). */
  retainSeconds: number;
  /** ...and while it was part of one of this many previous deploys (`deploy.retainDeploys`). */
  retainDeploys: number;
  /** Keys already classified (`classifyBuild`), e.g. while the store was still being listed. */
  classes?: ReadonlyMap<string, KeyClass>;
  /**
   * What an interrupted deploy wrote after the manifest (its journal): it speaks for those
   * objects as the manifest would, so a re-run does not write them again. The manifest to
   * write is still compared with the one stored.
   */
  journal?: Readonly<Record<string, ManifestEntry>>;
}

const bare = (etag: string) => etag.replace(/^W\//, '').replace(/"/g, '');

/**
 * Diffs the build against the store and the deploy manifest, per key, each action with its
 * reason. Pure: the same inputs give the same plan. Headers come from the behavior table; the
 * manifest tells which headers each object was given, so drift is found without a HEAD.
 */
export function plan(
  local: readonly LocalFile[],
  remote: readonly RemoteObject[],
  manifest: Manifest,
  table: BehaviorTable,
  now: Date,
  options: PlanOptions,
): Plan {
  const previous = manifest.deploys[manifest.deploys.length - 1];
  const deployId = (previous?.id ?? 0) + 1;
  const nowIso = now.toISOString();
  const remoteByKey = new Map<string, RemoteObject>();
  for (const r of remote) if (!r.key.startsWith(RESERVED_PREFIX)) remoteByKey.set(r.key, r);
  const recorded = (key: string): ManifestEntry | undefined => (Object.hasOwn(manifest.entries, key) ? manifest.entries[key] : undefined);
  const journal = options.journal;
  const entryOf = (key: string): ManifestEntry | undefined => {
    const j = journal && Object.hasOwn(journal, key) ? journal[key] : undefined;
    const m = recorded(key);
    return j ? { ...(m ?? j), md5: j.md5, etag: j.etag, size: j.size, cacheControl: j.cacheControl, contentType: j.contentType } : m;
  };

  const actions: PlanAction[] = [];
  const warnings: PlanWarning[] = [];
  const entries: Record<string, ManifestEntry> = {};
  const localKeys = new Set<string>();
  const classOf = (key: string): KeyClass => options.classes?.get(key) ?? classify(table, key);

  for (const file of [...local].sort(byKey)) {
    localKeys.add(file.key);
    const c = classOf(file.key);
    const headers = { cacheControl: c.cacheControl, contentType: c.contentType };
    const r = remoteByKey.get(file.key);
    const m = entryOf(file.key);
    const base = { key: file.key, file, headers, shortTtl: c.shortTtl, immutable: c.immutable, replaces: r !== undefined };
    entries[file.key] = {
      md5: file.md5,
      etag: file.multipartEtag ?? file.md5,
      size: file.size,
      ...headers,
      // A key back in the build after it left starts a new run of deploys.
      firstDeploy: m && m.removedAt === undefined ? m.firstDeploy : deployId,
    };

    if (!r) {
      actions.push({ ...base, action: 'upload', reason: m && !m.removedAt ? 'missing from the store' : 'new file', bytes: file.size, phase: uploadPhase(c) });
      continue;
    }
    // The manifest speaks for the object only while the object is the one edgeship wrote.
    const known = m !== undefined && m.etag === bare(r.etag) && m.size === r.size;
    const sameBytes = known ? m.md5 === file.md5 && m.size === file.size : r.size === file.size && etagMatches(r.etag, { md5: file.md5, multipart: file.multipartEtag });
    if (!sameBytes) {
      actions.push({ ...base, action: 'upload', reason: known || !m ? 'content changed' : 'content changed (the object was replaced outside edgeship)', bytes: file.size, phase: uploadPhase(c) });
      if (c.immutable && !hasContentHash(file.key)) {
        warnings.push({
          code: 'IMMUTABLE_WITHOUT_HASH',
          key: file.key,
          message: `${file.key} changed, but it is served as immutable and its name carries no content hash: browsers that have it keep the old copy for up to a year; give changed files new names (a content hash) or move them out of the immutable behavior`,
        });
      }
      continue;
    }
    entries[file.key]!.etag = bare(r.etag); // the object stays: keep the ETag the store gave it
    if (!known) {
      actions.push({ ...base, action: 'update-metadata', reason: 'same bytes; headers not recorded by edgeship, set from the behavior table', bytes: 0, phase: 'metadata' });
      continue;
    }
    const drift = headerDrift(m, headers);
    if (drift) {
      actions.push({ ...base, action: 'update-metadata', reason: drift, bytes: 0, phase: 'metadata' });
      continue;
    }
    actions.push({ ...base, action: 'skip', reason: 'unchanged', bytes: 0 });
  }

  for (const r of [...remoteByKey.values()].sort(byKey)) {
    if (localKeys.has(r.key)) continue;
    const m = entryOf(r.key);
    const c = classOf(r.key);
    // Without a record, the object counts as part of the previous deploy and as removed now.
    const kept = m ?? { md5: bare(r.etag), etag: bare(r.etag), size: r.size, cacheControl: c.cacheControl, contentType: c.contentType, firstDeploy: deployId - 1 };
    const entry: ManifestEntry = { ...kept, lastDeploy: m?.lastDeploy ?? deployId - 1, removedAt: m?.removedAt ?? nowIso };
    entries[r.key] = entry;
    if (!(c.immutable && hasContentHash(r.key))) {
      actions.push({ key: r.key, action: 'delete', reason: 'not in the build', bytes: 0, phase: 'delete', shortTtl: c.shortTtl, immutable: c.immutable });
      continue;
    }
    // A browser holding old HTML still asks for the chunks that HTML names: keep them a while.
    const lastDeploy = entry.lastDeploy!;
    const until = new Date(Date.parse(entry.removedAt!) + options.retainSeconds * 1000);
    const byTime = now < until;
    const byDeploys = lastDeploy >= deployId - options.retainDeploys;
    if (byTime || byDeploys) {
      const why = [byTime && `until ${until.toISOString()}`, byDeploys && `while it was in one of the last ${options.retainDeploys} deploys (last #${lastDeploy})`].filter(Boolean).join(' and ');
      actions.push({ key: r.key, action: 'retain', reason: `content-hashed asset left the build; kept ${why}`, bytes: 0, immutable: true });
    } else {
      actions.push({ key: r.key, action: 'delete', reason: `content-hashed asset left the build on ${entry.removedAt}; retention over`, bytes: 0, phase: 'delete', immutable: true });
    }
  }

  const deploys = [...manifest.deploys, { id: deployId, at: nowIso }].slice(-MANIFEST_HISTORY);
  // Records of keys that are neither built nor stored any more (deleted by an earlier deploy)
  // are not a change: a deploy after one that deleted keys, and that changes nothing, is not counted.
  const stillThere = (key: string) => localKeys.has(key) || remoteByKey.has(key);
  const changed = actions.some((a) => a.action !== 'skip' && a.action !== 'retain') || !sameEntries(manifest.entries, entries, stillThere);
  const live = liveCounts(actions, remoteByKey, entryOf, classOf);
  return { deployId, actions, warnings, manifest: { version: 1, deploys, entries }, manifestChanged: changed, remoteCount: remoteByKey.size, live };
}

/**
 * What viewers can reach now and what the plan takes from it: stored objects that were part
 * of the last deploy (not already retained after leaving the build), less the ones this plan
 * retains, and among them the pages. Retained chunks are never counted, so 1,500 of them
 * cannot make 1,300 lost pages look like a small share.
 */
function liveCounts(
  actions: readonly PlanAction[],
  remoteByKey: ReadonlyMap<string, RemoteObject>,
  entryOf: (key: string) => ManifestEntry | undefined,
  classOf: (key: string) => KeyClass,
): LiveCounts {
  const counts: LiveCounts = { objects: 0, deletes: 0, pages: 0, pageDeletes: 0 };
  for (const a of actions) {
    if (a.action === 'retain' || !remoteByKey.has(a.key) || entryOf(a.key)?.removedAt !== undefined) continue;
    const page = classOf(a.key).html;
    counts.objects++;
    if (page) counts.pages++;
    if (a.action !== 'delete') continue;
    counts.deletes++;
    if (page) counts.pageDeletes++;
  }
  return counts;
}

function sameEntries(a: Record<string, ManifestEntry>, b: Record<string, ManifestEntry>, live: (key: string) => boolean): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).filter(live).length) return false;
  return keys.every((k) => Object.hasOwn(a, k) && sameFields(a[k]!, b[k]!));
}

/** Entries hold only primitives; an absent field and one set to undefined are the same. */
function sameFields(a: ManifestEntry, b: ManifestEntry): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ManifestEntry)[]);
  for (const f of fields) if (a[f] !== b[f]) return false;
  return true;
}

function headerDrift(m: ManifestEntry, headers: { cacheControl: string; contentType: string }): string | undefined {
  const changes: string[] = [];
  if (m.cacheControl !== headers.cacheControl) changes.push(`cache-control "${m.cacheControl}" -> "${headers.cacheControl}"`);
  if (m.contentType !== headers.contentType) changes.push(`content-type "${m.contentType}" -> "${headers.contentType}"`);
  return changes.length ? `same bytes; ${changes.join(', ')}` : undefined;
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function planTotals(actions: readonly PlanAction[]) {
  const totals = { upload: 0, updateMetadata: 0, delete: 0, retain: 0, skip: 0, bytesUploaded: 0 };
  for (const a of actions) {
    if (a.action === 'upload') {
      totals.upload++;
      totals.bytesUploaded += a.bytes;
    } else if (a.action === 'update-metadata') totals.updateMetadata++;
    else if (a.action === 'delete') totals.delete++;
    else if (a.action === 'retain') totals.retain++;
    else totals.skip++;
  }
  return totals;
}
