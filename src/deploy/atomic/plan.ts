/**
 * The plan of an atomic deploy: the build mapped onto a new deploy prefix and diffed by the
 * same `plan()` as an in-place deploy (so upload order, headers, journal and guards are the
 * same), then the atomic choices on top: shared keys a kept deploy serves are retained, and the
 * prefixes of deploys no pointer and no rollback window keeps are deleted. Pure.
 */
import crypto from 'node:crypto';
import type { BehaviorTable } from '../../behavior/table.js';
import { classify, type KeyClass } from '../classify.js';
import { plan as diffPlan } from '../plan.js';
import type { LocalFile, Manifest, ManifestEntry, Plan, PlanAction, RemoteObject } from '../types.js';
import { atomicLayout } from './layout.js';
import { deployIdOfKey } from './keys.js';
import { keptDeploys, recordDeploy, sharedInUse, type DeployHistory, type DeployRecord, type Pointers } from './history.js';

export interface AtomicPlanInput {
  files: readonly LocalFile[];
  classes: ReadonlyMap<string, KeyClass>;
  table: BehaviorTable;
  remote: readonly RemoteObject[];
  manifest: Manifest;
  journal?: Readonly<Record<string, ManifestEntry>>;
  history: DeployHistory;
  pointers: Pointers;
  now: Date;
  retainSeconds: number;
  retainDeploys: number;
  /** Keys of the custom error pages (stored unprefixed too by a live deploy). */
  errorPages: readonly string[];
  /** Set for a preview deploy: its host. */
  previewHost?: string;
  preview?: string;
  git?: { commit?: string; branch?: string };
}

export interface AtomicPlan {
  plan: Plan;
  /** The deploy the pointer moves to: the new one, or an earlier one holding the same build. */
  record: DeployRecord;
  reused: boolean;
  /** The history to write before the pointer. */
  history: DeployHistory;
}

/** A digest of the build: keys, bytes and headers. Two builds with the same digest serve the same. */
export function buildDigest(files: readonly LocalFile[], classes: ReadonlyMap<string, KeyClass>): string {
  const hash = crypto.createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const c = classes.get(f.key);
    hash.update(`${f.key}\0${f.md5}\0${c?.cacheControl}\0${c?.contentType}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}

export function planAtomic(input: AtomicPlanInput): AtomicPlan {
  const digest = buildDigest(input.files, input.classes);
  // The same build as a deploy still kept: no upload, the pointer moves to it (a re-run after a
  // deploy stopped before its pointer, or a preview of what is live). A live deploy reuses only
  // a live one: a preview did not store the error pages unprefixed.
  const same = [...input.history.deploys].reverse().find((d) => d.digest === digest && (input.preview !== undefined || d.preview === undefined));
  if (same) return reusePlan(input, same);

  const id = (input.manifest.deploys.at(-1)?.id ?? 0) + 1;
  const layout = atomicLayout(input.files, input.classes, input.table, id, input.errorPages, input.preview === undefined);
  // Other deploys' prefixes are not part of this build's diff; this deploy's own are (a re-run after a crash).
  const remote = input.remote.filter((r) => [undefined, id].includes(deployIdOfKey(r.key)));
  const base = diffPlan(layout.files, remote, input.manifest, input.table, input.now, {
    retainSeconds: input.retainSeconds,
    retainDeploys: input.retainDeploys,
    classes: layout.classes,
    journal: input.journal,
  });
  const record: DeployRecord = {
    id,
    at: input.now.toISOString(),
    ...(input.git?.commit && { commit: input.git.commit }),
    ...(input.git?.branch && { branch: input.git.branch }),
    files: input.files.length,
    bytes: input.files.reduce((n, f) => n + f.size, 0),
    digest,
    ...(input.preview !== undefined && { preview: input.preview }),
    shared: layout.shared,
  };
  const history = { ...input.history, deploys: [...input.history.deploys, record] };
  const kept = keptDeploys(history, pointersAfter(input.pointers, id, input.previewHost), input.retainDeploys, id);
  // The deploy live now stays too: if the pointer write fails, the deletes that follow it must not touch what is served.
  if (input.pointers.live !== undefined) kept.add(input.pointers.live);
  const inUse = sharedInUse(history, kept);
  const live = { ...base.live };
  const actions: PlanAction[] = base.actions.map((a) => {
    if (a.action !== 'delete' || !inUse.has(a.key)) return a;
    // Not a delete after all: the delete guard's numbers must not count it.
    live.deletes--;
    if (classify(input.table, a.key).html) live.pageDeletes--;
    return { key: a.key, action: 'retain', reason: 'shared with a deploy that is kept (live, a preview, or in the rollback window)', bytes: 0, immutable: a.immutable };
  });
  actions.push(...pruneActions(input.remote, kept));
  return { plan: { ...base, actions, live }, record, reused: false, history: recordDeploy(input.history, record, kept) };
}

/** Deletes of every stored key under the prefix of a deploy that is not kept. */
function pruneActions(remote: readonly RemoteObject[], kept: ReadonlySet<number>): PlanAction[] {
  const out: PlanAction[] = [];
  for (const r of remote) {
    const id = deployIdOfKey(r.key);
    if (id === undefined || kept.has(id)) continue;
    out.push({ key: r.key, action: 'delete', reason: `deploy #${id} pruned: no pointer refers to it and it left the rollback window (deploy.retainDeploys)`, bytes: 0, phase: 'delete', shortTtl: false, immutable: false });
  }
  return out;
}

function pointersAfter(pointers: Pointers, id: number, previewHost: string | undefined): Pointers {
  return previewHost === undefined ? { ...pointers, live: id } : { ...pointers, hosts: { ...pointers.hosts, [previewHost]: id } };
}

function reusePlan(input: AtomicPlanInput, same: DeployRecord): AtomicPlan {
  const actions: PlanAction[] = input.files.map((f) => ({ key: f.key, action: 'skip', reason: `unchanged: deploy #${same.id} holds this build`, bytes: 0, file: f }));
  const plan: Plan = {
    deployId: same.id + 1,
    actions,
    warnings: [],
    manifest: input.manifest,
    manifestChanged: false,
    remoteCount: input.remote.length,
    live: { objects: 0, deletes: 0, pages: 0, pageDeletes: 0 },
  };
  return { plan, record: same, reused: true, history: input.history };
}
