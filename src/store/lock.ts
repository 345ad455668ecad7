import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { EdgeshipError, EXIT } from '../errors.js';
import { isStoreError, STORE_ERRORS } from './errors.js';
import type { ObjectStore } from './types.js';
import { getBytes } from './get-bytes.js';

/** What the lock object holds: who, since when, until when. */
export interface LockInfo {
  /** `user@host pid N`. */
  owner: string;
  /** This holder's own id (two runs of one owner differ). */
  id: string;
  startedAt: string;
  expiresAt: string;
  /** Where the holder runs: a holder on this host whose process is gone has stopped for good. */
  host?: string;
  pid?: number;
}

export interface LockOptions {
  /** Held for this long without a refresh; a holder refreshes every third of it. */
  ttlMs: number;
  /** Wait for a running holder instead of failing. */
  wait?: boolean;
  /** Give up waiting after this long. Default: the ttl (a killed holder's lock has expired by then). */
  waitMs?: number;
  /** Between two looks at a held lock while waiting. Default 2 s. */
  pollMs?: number;
  /**
   * On a store that only checks conditions (`conditionalWrites() === 'checked'`), the wait
   * between writing the lock and reading it back: a competitor that read "no lock" just before
   * our write lands its own write within it, and the read-back sees who won. Default 1 s.
   */
  settleMs?: number;
  owner?: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Told each time a wait starts or goes on. */
  onWait?: (holder: LockInfo) => void;
}

export const LOCK_ERRORS = { held: 'STORE_LOCKED', lost: 'STORE_LOCK_LOST' } as const;

export interface Acquired {
  lock: StoreLock;
  /** `checked`: the store ignores conditional writes; the lock is written, read back and compared. */
  mode: 'atomic' | 'checked';
  /** The expired lock of a holder that stopped without releasing it, when this one took it over. */
  tookOver?: LockInfo;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock object `key` in the store: created with `If-None-Match: *`, or, when the
 * lock there has expired, replaced with `If-Match` on its ETag; then read back and compared
 * (on a store that ignores the conditions, after `settleMs`). A lock held by someone else is
 * `STORE_LOCKED` naming the holder and when it started, or is waited for with `wait`.
 */
export async function acquireLock(store: ObjectStore, key: string, options: LockOptions): Promise<Acquired> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? sleepMs;
  const deadline = now().getTime() + (options.waitMs ?? options.ttlMs);
  const owner = options.owner ?? `${os.userInfo().username}@${os.hostname()} pid ${process.pid}`;
  // The store's answer to conditional writes and the first look at the lock are independent
  // round trips: sent together.
  const [mode, first] = await Promise.all([store.conditionalWrites(), readLock(store, key)]);
  let firstLook = true;
  for (;;) {
    const current = firstLook ? first : await readLock(store, key);
    firstLook = false;
    if (current && !isStale(current.info, now())) {
      if (!options.wait || now().getTime() >= deadline) throw lockHeld(store, key, current.info, now(), Boolean(options.wait));
      options.onWait?.(current.info);
      await sleep(options.pollMs ?? 2_000);
      continue;
    }
    const mine: LockInfo = { owner, id: randomUUID(), startedAt: now().toISOString(), expiresAt: new Date(now().getTime() + options.ttlMs).toISOString(), host: os.hostname(), pid: process.pid };
    try {
      await store.put(key, Buffer.from(JSON.stringify(mine)), { contentType: 'application/json', cacheControl: 'no-store', ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' }) });
    } catch (err) {
      if (isStoreError(err, STORE_ERRORS.preconditionFailed)) continue; // another run got in first: look again
      throw err;
    }
    if (mode === 'checked') await sleep(options.settleMs ?? 1_000);
    const back = await readLock(store, key);
    if (back?.info.id !== mine.id) continue;
    const lock = new StoreLock(store, key, mine, back.etag, options.ttlMs, now);
    return current ? { lock, mode, tookOver: current.info } : { lock, mode };
  }
}

/**
 * A lock past its expiry, or held by a process of this host that no longer runs (a deploy
 * killed here: its re-run need not wait out the expiry). A pid reused by another process
 * keeps the lock until it expires: the safe side.
 */
export function isStale(info: LockInfo, now: Date): boolean {
  if (Date.parse(info.expiresAt) <= now.getTime()) return true;
  if (info.host !== os.hostname() || typeof info.pid !== 'number' || info.pid === process.pid) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The lock object, or undefined when there is none (or it is not a lock edgeship wrote: treated as expired). */
export async function readLock(store: ObjectStore, key: string): Promise<{ info: LockInfo; etag: string } | undefined> {
  const got = await getBytes(store, key);
  if (!got) return undefined;
  try {
    const info = JSON.parse(got.bytes.toString('utf8')) as LockInfo;
    if (typeof info.owner === 'string' && typeof info.id === 'string' && typeof info.startedAt === 'string' && typeof info.expiresAt === 'string') return { info, etag: got.head.etag };
  } catch {
    // not JSON: below
  }
  return { info: { owner: 'unknown', id: '', startedAt: new Date(0).toISOString(), expiresAt: new Date(0).toISOString() }, etag: got.head.etag };
}

/** A held lock: refreshed while held, released at the end; `assertHeld` before a write that needs it. */
export class StoreLock {
  #lost: unknown;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(
    readonly store: ObjectStore,
    readonly key: string,
    readonly info: LockInfo,
    private etag: string,
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {
    this.#timer = setInterval(() => void this.refresh(), Math.max(1_000, Math.floor(ttlMs / 3)));
    this.#timer.unref();
  }

  /** Moves the expiry on, only while the lock is still this one (`If-Match`). */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      const next: LockInfo = { ...this.info, expiresAt: new Date(this.now().getTime() + this.ttlMs).toISOString() };
      try {
        const put = await this.store.put(this.key, Buffer.from(JSON.stringify(next)), { contentType: 'application/json', cacheControl: 'no-store', ifMatch: this.etag });
        this.etag = put.etag;
        this.info.expiresAt = next.expiresAt;
      } catch (err) {
        // A failed request is tried again at the next tick; a changed lock is lost for good.
        if (isStoreError(err, STORE_ERRORS.preconditionFailed)) this.#lost = err;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Throws `STORE_LOCK_LOST` when another run replaced the lock (it expired unrefreshed). */
  assertHeld(): void {
    if (this.#lost === undefined) return;
    throw new EdgeshipError(LOCK_ERRORS.lost, `${this.store.location}: the lock ${this.key} taken at ${this.info.startedAt} was taken over by another run; stopped before writing more`, {
      exitCode: EXIT.failed,
      cause: this.#lost,
      hint: 'another deploy is running against this target; let it finish, then run this one again',
    });
  }

  /** Stops refreshing and deletes the lock if it is still this one. */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.#refreshing;
    const current = await readLock(this.store, this.key);
    if (current?.info.id === this.info.id) await this.store.deleteMany([this.key]);
  }
}

function lockHeld(store: ObjectStore, key: string, holder: LockInfo, now: Date, waited: boolean): EdgeshipError {
  const ago = Math.round((now.getTime() - Date.parse(holder.startedAt)) / 1000);
  return new EdgeshipError(
    LOCK_ERRORS.held,
    `${store.location}: another deploy is running: ${holder.owner}, started ${holder.startedAt} (${ago} s ago), its lock ${key} expires ${holder.expiresAt}${waited ? '; gave up waiting' : ''}; nothing was changed`,
    { exitCode: EXIT.failed, hint: `wait for it to finish (or run with --wait); the lock of a deploy that was killed is taken over once it expires` },
  );
}
