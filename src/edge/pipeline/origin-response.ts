/**
 * §0 step 10: what the edge does with an origin response before anyone sees it: the TTL (§2.2),
 * error caching and custom error responses (§5), compression (§3), and storing it in the cache
 * with the header list a plain hit will send, built here once.
 */
import { edgeTtl } from '../../behavior/ttl.js';
import { customErrorFor, errorTtl } from '../errors.js';
import { staleWindows } from '../freshness.js';
import type { CacheEntry } from '../memory-cache.js';
import type { OriginResponse } from '../origin.js';
import { compressIfDue } from './compress.js';
import { preparedHitHeaders } from './response-headers.js';
import type { Ctx, OriginDeps, Outcome } from './types.js';

/** An entry that is served but never kept or revalidated (streamed objects, errors with TTL 0). */
export function transientEntry(fields: Pick<CacheEntry, 'objectPath' | 'storeKey' | 'status' | 'originStatus' | 'hitResult' | 'headers' | 'body' | 'storedAt'>): CacheEntry {
  return { ...fields, ttl: 0, staleWhileRevalidate: 0, staleIfError: 0, maxTtl: 0, minTtl: 0 };
}

/** Stores an entry when its TTL and the behavior allow, with the header list of a plain hit (§2.2, §2.7). */
export function storeEntry(deps: Pick<OriginDeps, 'cache' | 'via'>, ctx: Pick<Ctx, 'rt' | 'key'>, entry: CacheEntry): void {
  if (entry.ttl <= 0 || ctx.rt.cachingDisabled) return;
  entry.prepared = preparedHitHeaders(entry, ctx.rt, deps.via);
  deps.cache.set(ctx.key, entry);
}

/** §0 step 10 for one origin response; `customErrors` is false while fetching an error page itself. */
export async function processOriginResponse(deps: OriginDeps, ctx: Ctx, response: OriginResponse, storeKey: string, customErrors: boolean): Promise<Outcome> {
  if (response.status >= 400) return processOriginError(deps, ctx, response, storeKey, customErrors);
  const policy = ctx.rt.behavior.policy;
  const now = deps.clock();
  const cc = response.headers['cache-control'] as string | undefined;
  const { headers, body } = await compressIfDue(ctx, response.status, response.headers, response.body);
  const entry: CacheEntry = {
    objectPath: ctx.objectPath,
    storeKey,
    status: response.status,
    originStatus: response.status,
    hitResult: 'Hit',
    headers,
    body,
    originEtag: response.etag,
    storedAt: now,
    ttl: edgeTtl(policy, cc, response.headers.expires as string | undefined, now),
    ...staleWindows(cc),
    maxTtl: policy.maxTtl,
    minTtl: policy.minTtl,
  };
  storeEntry(deps, ctx, entry);
  return { entry, result: 'Miss' };
}

/** §5: an origin error, cached for its error TTL, answered with the custom error page when one is configured. */
async function processOriginError(deps: OriginDeps, ctx: Ctx, response: OriginResponse, storeKey: string, customErrors: boolean): Promise<Outcome> {
  const policy = ctx.rt.behavior.policy;
  const now = deps.clock();
  const custom = customErrors ? customErrorFor(deps.errors, response.status) : undefined;
  const ttl = errorTtl(response.status, response.headers['cache-control'] as string | undefined, response.headers.expires as string | undefined, policy, custom?.ttl ?? 10, now);
  let status = response.status;
  let representation: { headers: CacheEntry['headers']; body: Buffer };
  if (custom?.page !== undefined) {
    // §5.3: the page is routed through the behavior matching its path and fetched from its origin.
    const page = (await deps.errorPage(ctx, custom.page)).entry;
    // The page itself failed: the viewer gets the status its origin returned (§5.1).
    status = page.status < 400 ? (custom.responseStatus ?? response.status) : page.status;
    representation = { headers: page.headers, body: page.body };
  } else {
    representation = await compressIfDue(ctx, status, response.headers, response.body);
  }
  const entry: CacheEntry = {
    ...transientEntry({ objectPath: ctx.objectPath, storeKey, status, originStatus: response.status, hitResult: 'Error', ...representation, storedAt: now }),
    ttl,
    maxTtl: ttl,
    minTtl: policy.minTtl,
  };
  storeEntry(deps, ctx, entry);
  return { entry, result: 'Error' };
}
