import { EdgeshipError, EXIT } from '../errors.js';
import type { DeleteResult, ObjectStore, PutBody, PutOptions, PutResult } from '../store/types.js';
import { DEPLOY_ERRORS } from './errors.js';
import type { Plan } from './types.js';

/**
 * Safety rules, each a small wrapper: around the plan (refuse before anything is written) or
 * around the store (enforced again where the writes happen). They compose:
 * `limitDeletes(protectWrites(store), n)`, or `dryRunStore(store)` for a dry run.
 */

/**
 * Refuses a plan that deletes more than `maxDeleteRatio` of the live pages (HTML) or of the
 * live non-retained objects, unless forced. Objects kept by retention count in neither: on a
 * Next.js export the retained chunks outnumber the pages, and counting them would let a build
 * that lost every page through.
 */
export function guardDeleteRatio(plan: Plan, options: { maxDeleteRatio: number; force?: boolean }): Plan {
  const { objects, deletes, pages, pageDeletes } = plan.live;
  if (options.force || deletes === 0) return plan;
  const objectRatio = objects === 0 ? 0 : deletes / objects;
  const pageRatio = pages === 0 ? 0 : pageDeletes / pages;
  if (objectRatio > options.maxDeleteRatio || pageRatio > options.maxDeleteRatio) {
    throw new EdgeshipError(
      DEPLOY_ERRORS.tooManyDeletes,
      `the plan deletes ${pageDeletes} of ${pages} live pages (${pct(pageRatio)}) and ${deletes} of ${objects} live objects not kept by retention (${pct(objectRatio)}); ` +
        `more than deploy.maxDeleteRatio (${pct(options.maxDeleteRatio)}) of either is refused; nothing was changed`,
      { exitCode: EXIT.refused, hint: 'check that "site" points at the full build; if the deletes are intended, run again with --force (see them first with --dry-run)' },
    );
  }
  return plan;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** Removes from the plan any delete of a key that the same plan uploads or updates: a plan never deletes what it writes. */
export function guardNoDeleteOfWrites(plan: Plan): Plan {
  const written = new Set(plan.actions.filter((a) => a.action === 'upload' || a.action === 'update-metadata' || a.action === 'skip').map((a) => a.key));
  const actions = plan.actions.filter((a) => !(a.action === 'delete' && written.has(a.key)));
  return actions.length === plan.actions.length ? plan : { ...plan, actions };
}

/** What a dry-run store was asked to do. */
export interface RecordedWrite {
  op: 'put' | 'copyMetadata' | 'delete';
  key: string;
  options?: PutOptions;
}

/** Reads go to the store; writes are recorded and not performed. */
export function dryRunStore(store: ObjectStore): ObjectStore & { writes: RecordedWrite[] } {
  const writes: RecordedWrite[] = [];
  return {
    location: store.location,
    writes,
    list: (prefix) => store.list(prefix),
    head: (key) => store.head(key),
    get: (key, options) => store.get(key, options),
    conditionalWrites: () => store.conditionalWrites(),
    async put(key: string, _body: PutBody, options?: PutOptions): Promise<PutResult> {
      writes.push({ op: 'put', key, options });
      return { etag: options?.md5 ?? '' };
    },
    async copyMetadata(key: string, options: PutOptions): Promise<PutResult> {
      writes.push({ op: 'copyMetadata', key, options });
      return { etag: '' };
    },
    async deleteMany(keys: readonly string[]): Promise<DeleteResult> {
      for (const key of keys) writes.push({ op: 'delete', key });
      return { deleted: [...keys], errors: [] };
    },
  };
}

/**
 * Never deletes a key written through this store in this run, whatever the caller asks:
 * such a key comes back as a per-key error, `DEPLOY_DELETE_PROTECTED`.
 */
export function protectWrites(store: ObjectStore): ObjectStore {
  const written = new Set<string>();
  return {
    location: store.location,
    list: (prefix) => store.list(prefix),
    head: (key) => store.head(key),
    get: (key, options) => store.get(key, options),
    conditionalWrites: () => store.conditionalWrites(),
    async put(key, body, options) {
      written.add(key);
      return store.put(key, body, options);
    },
    async copyMetadata(key, options) {
      written.add(key);
      return store.copyMetadata(key, options);
    },
    async deleteMany(keys) {
      const allowed = keys.filter((k) => !written.has(k));
      const result = allowed.length > 0 ? await store.deleteMany(allowed) : { deleted: [], errors: [] };
      const refused = keys.filter((k) => written.has(k)).map((key) => ({ key, code: DEPLOY_ERRORS.deleteProtected, message: 'written by this deploy; not deleted' }));
      return { deleted: result.deleted, errors: [...result.errors, ...refused] };
    },
  };
}

/** Fails any delete that would bring the run's deletes above `limit` (a second line behind guardDeleteRatio). */
export function limitDeletes(store: ObjectStore, limit: number): ObjectStore {
  let count = 0;
  return {
    location: store.location,
    list: (prefix) => store.list(prefix),
    head: (key) => store.head(key),
    get: (key, options) => store.get(key, options),
    conditionalWrites: () => store.conditionalWrites(),
    put: (key, body, options) => store.put(key, body, options),
    copyMetadata: (key, options) => store.copyMetadata(key, options),
    async deleteMany(keys) {
      if (count + keys.length > limit) {
        throw new EdgeshipError(DEPLOY_ERRORS.tooManyDeletes, `refusing to delete ${count + keys.length} objects in one deploy; the plan allowed ${limit}`, { exitCode: EXIT.refused });
      }
      count += keys.length;
      return store.deleteMany(keys);
    },
  };
}
