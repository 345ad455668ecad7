/**
 * §0 step 8: the cache key (§2.5-§2.6) and the lookup: a fresh hit is served, an expired entry is
 * revalidated or served stale under `stale-while-revalidate` (§2.3), a miss goes to the origin
 * (collapsed with concurrent requests for the same key, §2.2).
 */
import { cacheKey } from '../cache-key.js';
import type { NormalizedEncoding } from '../accept-encoding.js';
import { freshnessState } from '../freshness.js';
import type { CacheEntry } from '../memory-cache.js';
import { storeKeyFor } from '../object-key.js';
import type { Behaviors } from './behaviors.js';
import { fetchFromOrigin, refreshFromOrigin } from './origin-fetch.js';
import type { Collapser } from './origin-request.js';
import type { BehaviorRuntime, Ctx, OriginDeps, Outcome } from './types.js';

export type LookupAction =
  /** Answer from the cache. */
  | { kind: 'serve'; result: 'Hit' | 'Error' }
  /** Answer from the cache and refresh once in the background (§2.3). */
  | { kind: 'serve-and-refresh' }
  /** Ask the origin conditionally before answering (§2.4). */
  | { kind: 'revalidate' }
  | { kind: 'miss' };

/** What the cache does with the entry it holds for a key (undefined: none) at `now`. */
export function lookupAction(cached: CacheEntry | undefined, now: number): LookupAction {
  if (!cached) return { kind: 'miss' };
  switch (freshnessState(cached, now)) {
    case 'fresh':
      return { kind: 'serve', result: cached.hitResult };
    case 'error-hold':
      return { kind: 'serve', result: 'Hit' };
    case 'stale-while-revalidate':
      return { kind: 'serve-and-refresh' };
    case 'expired':
      return { kind: 'revalidate' };
  }
}

/** The cache key of a request on a behavior (§2.5). */
export function requestKey(rt: BehaviorRuntime, method: string, uri: string, query: string, header: (name: string) => string | undefined, ae: NormalizedEncoding): { key: string; objectPath: string } {
  return cacheKey({ behaviorIndex: rt.behavior.index, method, uri, query, header, acceptEncoding: ae.key }, rt.behavior.policy.cacheKey, rt.keyedHeaders);
}

export class CacheLookup {
  constructor(
    private readonly deps: OriginDeps,
    private readonly collapser: Collapser,
    private readonly behaviors: Behaviors,
  ) {}

  /** The entry that answers this request, from cache or origin. `storeKey` undefined: the key can never exist. */
  async obtain(ctx: Ctx, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
    const { deps } = this;
    const cached = ctx.rt.cachingDisabled ? undefined : deps.cache.get(ctx.key);
    const action = lookupAction(cached, deps.clock());
    if (action.kind === 'serve') return { entry: cached!, result: action.result, fromCache: true };
    const run = () => (cached ? refreshFromOrigin(deps, ctx, cached, storeKey, customErrors) : fetchFromOrigin(deps, ctx, storeKey, customErrors));
    if (action.kind === 'serve-and-refresh') {
      this.collapser.refreshInBackground(ctx.key, run);
      return { entry: cached!, result: 'Hit', fromCache: true };
    }
    // CachingDisabled: every request goes to the origin on its own (§2.7).
    if (ctx.rt.cachingDisabled) return run();
    return this.collapser.request(ctx.key, run);
  }

  /** A custom error page through the behavior matching its path, from cache or origin (§5.3). */
  errorPage(ctx: Ctx, page: string): Promise<Outcome> {
    const rt = this.behaviors.forPath(page);
    const ae = this.behaviors.acceptEncoding(ctx.headers['accept-encoding'], rt, ctx.req.httpVersion);
    const k = requestKey(rt, 'GET', page, '', (n) => ctx.headers[n], ae);
    const storeKey = storeKeyFor(page);
    return this.obtain({ ...ctx, rt, ae, key: k.key, objectPath: k.objectPath }, storeKey.ok ? storeKey.key : undefined, false);
  }
}
