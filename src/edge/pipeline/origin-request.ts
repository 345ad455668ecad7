/**
 * §0 step 9: the origin request, with request collapsing (§2.2): while one request for a cache
 * key is at the origin, others for the same key wait for its response instead of asking again;
 * and the background refreshes of `stale-while-revalidate` (§2.3), one per key.
 */
import type { CacheEntry } from '../memory-cache.js';
import type { Outcome } from './types.js';

export class Collapser {
  private readonly inflight = new Map<string, Promise<Outcome>>();
  /** Background refreshes still running; awaited by `settle()` in tests. */
  private readonly background = new Set<Promise<unknown>>();
  #waiting = 0;

  /** Requests waiting on another request's origin fetch right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Runs `work` as the one origin request for `key`, or joins the one already running. */
  async request(key: string, work: () => Promise<Outcome>): Promise<Outcome> {
    const pending = this.inflight.get(key);
    if (!pending) return this.lead(key, work);
    // A collapsed request: it shares the first fetch's response, logged as a Hit (§2.2).
    this.#waiting++;
    const shared = await pending.finally(() => this.#waiting--);
    // A streamed object cannot be shared: this request reads it itself.
    if (shared.stream) return work();
    return sharedOutcome(shared.entry);
  }

  /** §2.3: a stale-while-revalidate hit starts exactly one background refresh per key. */
  refreshInBackground(key: string, work: () => Promise<Outcome>): void {
    if (this.inflight.has(key)) return;
    const tracked = this.lead(key, work)
      .catch(() => undefined)
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Resolves when every background refresh has finished. */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private lead(key: string, work: () => Promise<Outcome>): Promise<Outcome> {
    const p = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}

/** What a collapsed request answers with: the shared entry, as a Hit (an error entry stays an Error). */
export function sharedOutcome(entry: CacheEntry): Outcome {
  return { entry, result: entry.hitResult === 'Error' ? 'Error' : 'Hit', fromCache: true };
}
