import fs from 'node:fs';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore, PutBody } from '../store/types.js';
import { DEPLOY_ERRORS } from './errors.js';
import { mapLimit } from '../store/concurrency.js';
import type { Journal } from './journal.js';
import { orderDeletes } from './delete-order.js';
import { writeManifest } from './manifest.js';
import type { Phase, Plan, PlanAction } from './types.js';

/**
 * The writes in two waves. Viewers are safe as long as every object a page can reference is
 * stored before the page itself: that is the one barrier. Within the first wave the phases are
 * queued in their order (immutable assets first) but the next phase's requests start as soon
 * as a slot frees, instead of waiting for the slowest request of the phase before.
 */
export const WRITE_WAVES: readonly { step: ApplyStep; phases: readonly Phase[] }[] = [
  { step: 'assets', phases: ['immutable', 'assets', 'metadata', 'short'] },
  { step: 'html', phases: ['html'] },
];

export type ApplyStep = 'assets' | 'html' | 'manifest' | 'invalidate' | 'delete';

export interface ApplyProgress {
  step: ApplyStep;
  /** Actions of this step done / in it. */
  done: number;
  total: number;
  key?: string;
  /** Bytes uploaded so far in the whole apply. */
  bytes: number;
}

export interface ApplyOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Sends the invalidation; called once, after the manifest and before the deletes. */
  invalidate?: () => Promise<void>;
  onProgress?: (progress: ApplyProgress) => void;
  /** The manifest's ETag when the plan was made (`null`: there was none); its write is conditional on it. */
  manifestReadAt?: string | null;
  /** Called before each step; throws to stop the apply (the deploy lock was lost). */
  checkpoint?: () => void;
  /** Records each write as it lands, so a re-run after a kill does not repeat it. */
  journal?: Journal;
}

export interface ApplyResult {
  bytesUploaded: number;
  /** Set when the invalidation failed: the deploy went on with the deletes. */
  invalidationError?: unknown;
}

/** Bodies up to this size are read into memory; larger ones stream (a fresh stream per retry). */
const BUFFER_LIMIT = 1 << 20;

/**
 * Applies a plan in order: every non-HTML write (immutable assets queued first, then other
 * assets, metadata updates, short-lived files); then HTML; then the manifest; then the
 * invalidation; then the deletes (HTML and short-lived keys before the assets they
 * reference). A stop at any point leaves every live page with its assets, and re-running the
 * deploy converges.
 */
export async function applyPlan(store: ObjectStore, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  let bytes = 0;
  const report = (step: ApplyStep, done: number, total: number, key?: string) => options.onProgress?.({ step, done, total, key, bytes });

  for (const wave of WRITE_WAVES) {
    const actions = wave.phases.flatMap((phase) => plan.actions.filter((a) => a.phase === phase && (a.action === 'upload' || a.action === 'update-metadata')));
    if (actions.length === 0) continue;
    options.checkpoint?.();
    let done = 0;
    report(wave.step, 0, actions.length);
    await mapLimit(actions, options.concurrency, async (action) => {
      const result = await write(store, action);
      const entry = plan.manifest.entries[action.key];
      if (entry && result.etag) entry.etag = result.etag.replace(/"/g, '');
      if (entry) options.journal?.record(action.key, entry);
      if (action.action === 'upload') bytes += action.bytes;
      report(wave.step, ++done, actions.length, action.key);
    });
    await wrap(store, 'writing the deploy journal', async () => options.journal?.flush());
  }

  if (plan.manifestChanged) {
    options.checkpoint?.();
    report('manifest', 0, 1);
    await wrap(store, 'writing the deploy manifest', () => writeManifest(store, plan.manifest, options.manifestReadAt));
    await wrap(store, 'removing the deploy journal', async () => options.journal?.discard());
    report('manifest', 1, 1);
  }

  let invalidationError: unknown;
  if (options.invalidate) {
    report('invalidate', 0, 1);
    try {
      await options.invalidate();
    } catch (error) {
      invalidationError = error;
    }
    report('invalidate', 1, 1);
  }

  const [first, rest] = orderDeletes(plan.actions);
  const total = first.length + rest.length;
  if (total > 0) {
    options.checkpoint?.();
    let done = 0;
    report('delete', 0, total);
    const failed: string[] = [];
    for (const group of [first, rest]) {
      if (group.length === 0) continue;
      const result = await wrap(store, `deleting ${group.length} objects`, () => store.deleteMany(group));
      for (const e of result.errors) failed.push(`${e.key}: ${e.code} ${e.message}`);
      done += result.deleted.length;
      report('delete', done, total);
    }
    if (failed.length > 0) {
      throw new EdgeshipError(DEPLOY_ERRORS.deleteFailed, `${failed.length} of ${total} deletes failed in ${store.location}:\n  ${failed.slice(0, 20).join('\n  ')}`, {
        exitCode: EXIT.failed,
        hint: 'the site is live and consistent; run the deploy again to retry the deletes',
      });
    }
  }
  return { bytesUploaded: bytes, invalidationError };
}

async function write(store: ObjectStore, action: PlanAction) {
  const file = action.file!;
  const headers = { cacheControl: action.headers!.cacheControl, contentType: action.headers!.contentType };
  if (action.action === 'update-metadata') {
    return wrap(store, `updating the headers of ${action.key}`, () => store.copyMetadata(action.key, headers));
  }
  return wrap(store, `uploading ${action.key}`, async () => {
    // A small body is read synchronously: microseconds, where four async file calls per object
    // (open, stat, read, close) cost more than the read itself.
    const body: PutBody = file.size <= BUFFER_LIMIT ? fs.readFileSync(file.absPath) : () => fs.createReadStream(file.absPath);
    return store.put(action.key, body, { ...headers, size: file.size, md5: file.md5 });
  });
}

/** Names the store and the key in any failure that is not already an EdgeshipError. */
async function wrap<T>(store: ObjectStore, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EdgeshipError) throw error;
    throw new EdgeshipError(DEPLOY_ERRORS.storeFailed, `${store.location}: ${what} failed: ${(error as Error)?.message ?? String(error)}`, {
      exitCode: EXIT.failed,
      cause: error,
      hint: 'nothing live was left inconsistent; fix the cause and run the deploy again (it picks up where this one stopped)',
    });
  }
}
