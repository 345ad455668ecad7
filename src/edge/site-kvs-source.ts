/**
 * The KeyValueStore data the local edge gives its functions: the user's `edge.kvs` file and the
 * keys a deploy writes into the store (`.edgeship/kvs.json`: deploy pointers, redirects), as
 * one store, the way CloudFront associates one KeyValueStore with a function. `refresh()` reads
 * the store's object again when its ETag changed; the edge calls it on a short timer, so a
 * deploy's pointer write shows within a fraction of a second (CloudFront: seconds).
 */
import { LOCAL_KVS_KEY, LocalKvs } from '../kvs/local-kvs.js';
import { kvsLimitProblem } from '../kvs/limits.js';
import type { ObjectStore } from '../store/types.js';
import { readKvsFile, type KvsSnapshot, type KvsSource } from './functions/kvs.js';
import { FunctionLoadError } from './functions/errors.js';

export class SiteKvsSource implements KvsSource {
  private current: KvsSnapshot;
  private counter = 0;
  private etag: string | undefined;
  private readonly user: KvsSnapshot | undefined;
  private inFlight: Promise<boolean> | undefined;

  constructor(
    readonly store: ObjectStore,
    userFile: string | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.user = userFile === undefined ? undefined : readKvsFile(userFile);
    this.current = this.merge({});
  }

  version(): number {
    return this.counter;
  }

  snapshot(): KvsSnapshot {
    return this.current;
  }

  /**
   * Reads the deploy's data again if it changed; resolves to whether it did. Concurrent calls
   * share one read. A corrupt or oversized object keeps the last good data and throws, naming it.
   */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<boolean> {
    const head = await this.store.head(LOCAL_KVS_KEY);
    if (head?.etag === this.etag) return false;
    const deployed = head ? await new LocalKvs(this.store).read() : {};
    const next = this.merge(deployed);
    const problem = kvsLimitProblem(Object.entries(next.entries));
    if (problem) throw new FunctionLoadError('KVS_INVALID', `${this.store.location} ${LOCAL_KVS_KEY}`, problem);
    this.current = next;
    this.etag = head?.etag;
    this.counter++;
    return true;
  }

  private merge(deployed: Record<string, string>): KvsSnapshot {
    const entries: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, this.user?.entries, deployed);
    const now = new Date(this.clock()).toISOString();
    return {
      entries,
      meta: {
        creationDateTime: this.user?.meta.creationDateTime ?? now,
        lastUpdatedDateTime: this.counter === 0 && this.user ? this.user.meta.lastUpdatedDateTime : now,
        keyCount: Object.keys(entries).length,
      },
    };
  }
}

/**
 * How often a running edge looks for a deploy's KeyValueStore writes (one HEAD of one object):
 * every 200 ms on the local disk, every 2 s on a remote store, where each look is a billed
 * request (CloudFront itself takes seconds to propagate a KeyValueStore write).
 */
export function kvsRefreshMs(store: Pick<ObjectStore, 'waiting'>): number {
  // A store that reports requests in flight is a remote one (ObjectStore.waiting).
  return store.waiting ? 2_000 : 200;
}

/**
 * Refreshes `source` every `intervalMs` until the returned function is called. A failed read
 * keeps the last good data and is reported once per distinct message.
 */
export function watchKvs(source: SiteKvsSource, onError: (line: string) => void, intervalMs = kvsRefreshMs(source.store)): () => void {
  let lastError: string | undefined;
  const timer = setInterval(() => {
    source.refresh().then(
      () => (lastError = undefined),
      (error: unknown) => {
        const line = `KeyValueStore data not refreshed, the functions keep the last good data: ${(error as Error).message}`;
        if (line !== lastError) onError(line);
        lastError = line;
      },
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
