/**
 * The deploy history of an atomic site and the pure choices made from it: which deploys stay
 * (retention), which a rollback may go to, what a pointer refers to. The store object that
 * holds it is read and written by history-store.ts; the pointers come from the KeyValueStore.
 */
import { EdgeshipError, EXIT } from '../../errors.js';
import { KVS_KEYS, RESERVED_KVS_PREFIX } from '../../kvs/keys.js';

export interface DeployRecord {
  id: number;
  /** When the deploy's pointer was written (ISO time). */
  at: string;
  /** The git commit and branch of the build, when it was built from a git checkout. */
  commit?: string;
  branch?: string;
  /** Files and bytes of the build (what the deploy serves, uploaded or shared). */
  files: number;
  bytes: number;
  /** Digest of the build (keys, content, headers): a deploy of the same build reuses this one. */
  digest: string;
  /** Set for a preview deploy: its name (served at `<name>.<previewDomain>`). */
  preview?: string;
  /** Keys outside the deploy prefix that it serves: kept while the deploy is kept. */
  shared: string[];
}

export interface DeployHistory {
  version: 1;
  /** Oldest first; pruned deploys are removed. */
  deploys: DeployRecord[];
}

/** What the KeyValueStore points at: the live deploy and the deploy of each preview host. */
export interface Pointers {
  live?: number;
  hosts: Record<string, number>;
}

export function emptyHistory(): DeployHistory {
  return { version: 1, deploys: [] };
}

/** The pointers among a KeyValueStore's keys (other keys ignored; a value that is not an id ignored). */
export function pointersFrom(entries: Readonly<Record<string, string>>): Pointers {
  const id = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const hostPrefix = KVS_KEYS.host('');
  const hosts: Record<string, number> = {};
  for (const [k, v] of Object.entries(entries)) {
    if (!k.startsWith(RESERVED_KVS_PREFIX) || !k.startsWith(hostPrefix)) continue;
    const n = id(v);
    if (n !== undefined) hosts[k.slice(hostPrefix.length)] = n;
  }
  return { live: id(entries[KVS_KEYS.live]), hosts };
}

/**
 * The deploys that stay: the live one and the `retainDeploys` live deploys before it (the
 * rollback window), every deploy a pointer refers to (live or preview), and `current` (the
 * deploy being made). Pruning never removes one of these.
 */
export function keptDeploys(history: DeployHistory, pointers: Pointers, retainDeploys: number, current?: number): Set<number> {
  const kept = new Set<number>([...(pointers.live !== undefined ? [pointers.live] : []), ...Object.values(pointers.hosts), ...(current !== undefined ? [current] : [])]);
  const lives = history.deploys.filter((d) => d.preview === undefined).map((d) => d.id);
  for (const id of lives.slice(-(retainDeploys + 1))) kept.add(id);
  return kept;
}

/** The deploy `rollback --previous` goes to: the newest live deploy older than the live one. */
export function previousDeploy(history: DeployHistory, live: number | undefined): DeployRecord | undefined {
  return history.deploys.filter((d) => d.preview === undefined && (live === undefined || d.id < live)).at(-1);
}

/** The record of a deploy a pointer may move to; a pruned or unknown id is refused (exit 2) naming what is there. */
export function availableDeploy(history: DeployHistory, id: number): DeployRecord {
  const record = history.deploys.find((d) => d.id === id);
  if (record) return record;
  // Named for a rollback: the live deploys (a preview is not one to go back to).
  const lives = history.deploys.filter((d) => d.preview === undefined);
  const oldest = lives[0];
  const newest = lives.at(-1);
  const pruned = oldest !== undefined && id < oldest.id;
  throw new EdgeshipError(
    'DEPLOY_NOT_AVAILABLE',
    pruned ? `deploy #${id} was pruned: its files are gone; the oldest available is #${oldest.id}` : `there is no deploy #${id}${newest ? ` (deploys #${oldest!.id} to #${newest.id} are available)` : ' (nothing was deployed in atomic mode yet)'}`,
    { exitCode: EXIT.usage, hint: 'list the available deploys with edgeship deploys' },
  );
}

/** The history with `record` added and the deploys not in `kept` removed. */
export function recordDeploy(history: DeployHistory, record: DeployRecord | undefined, kept: ReadonlySet<number>): DeployHistory {
  const all = record ? [...history.deploys.filter((d) => d.id !== record.id), record] : history.deploys;
  return { version: 1, deploys: all.filter((d) => kept.has(d.id)).sort((a, b) => a.id - b.id) };
}

/** Shared keys some kept deploy serves: never deleted. */
export function sharedInUse(history: DeployHistory, kept: ReadonlySet<number>, extra: readonly string[] = []): Set<string> {
  const keys = new Set(extra);
  for (const d of history.deploys) if (kept.has(d.id)) for (const k of d.shared) keys.add(k);
  return keys;
}
