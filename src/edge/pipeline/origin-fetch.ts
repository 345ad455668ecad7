/**
 * §0 step 9: the origin request on a miss or an expired entry (§4.4, §4.6), and what an origin
 * failure turns into: a stale copy where CloudFront may serve one (§2.3, §9.6), else its 502/504
 * error page through the custom error responses (§5).
 */
import { edgeTtl } from '../../behavior/ttl.js';
import { cloudFrontErrorPage, customErrorFor, ERROR_DETAIL } from '../errors.js';
import { mayServeStaleOnError, staleWindows } from '../freshness.js';
import type { CacheEntry } from '../memory-cache.js';
import { missingResponse, OriginError, type OriginResponse } from '../origin.js';
import { processOriginResponse, transientEntry } from './origin-response.js';
import { preparedHitHeaders } from './response-headers.js';
import type { Ctx, OriginDeps, Outcome } from './types.js';

/** A miss: GET from the origin. `storeKey` undefined: the key can never exist (answered as S3 answers a missing key). */
export async function fetchFromOrigin(deps: OriginDeps, ctx: Ctx, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
  let response: OriginResponse;
  try {
    response = storeKey === undefined ? missingResponse(ctx.view.uri.slice(1), ctx.requestId, deps.listBucket) : await deps.origin.get(storeKey, ctx.requestId);
  } catch (error) {
    if (!(error instanceof OriginError)) throw error;
    return originFailure(deps, ctx, error, customErrors);
  }
  if (response.stream) return streamOutcome(deps, ctx, response, storeKey ?? '');
  return processOriginResponse(deps, ctx, response, storeKey ?? '', customErrors);
}

/** An expired entry: conditional origin request; 304 -> RefreshHit (§2.4); errors may serve stale (§2.3, §9.6). */
export async function refreshFromOrigin(deps: OriginDeps, ctx: Ctx, cached: CacheEntry, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
  if (storeKey === undefined) return fetchFromOrigin(deps, ctx, storeKey, customErrors);
  const now = deps.clock();
  try {
    const r = await deps.origin.revalidate(storeKey, cached.originEtag, ctx.requestId);
    if (r.notModified) return renew(deps, ctx, cached, r.head.cacheControl);
    const response = r.response;
    if (response.stream) {
      deps.cache.delete(ctx.key);
      return streamOutcome(deps, ctx, response, storeKey);
    }
    if (response.status >= 500 && mayServeStaleOnError(cached, now)) return holdStale(deps, ctx, cached, response.status, now);
    // A 200 after revalidation is logged as a Miss (§2.4 gap, recommended).
    return await processOriginResponse(deps, ctx, response, storeKey, customErrors);
  } catch (error) {
    if (!(error instanceof OriginError)) throw error;
    if (mayServeStaleOnError(cached, now)) return holdStale(deps, ctx, cached, error.status, now);
    return originFailure(deps, ctx, error, customErrors);
  }
}

/** A 304 from the origin: the cached representation stays as it was (no recompression); the TTL starts again. */
function renew(deps: OriginDeps, ctx: Ctx, cached: CacheEntry, cacheControl: string | undefined): Outcome {
  const renewed: CacheEntry = { ...cached, storedAt: deps.clock(), errorHoldUntil: undefined };
  if (cacheControl !== (cached.headers['cache-control'] as string | undefined)) {
    renewed.headers = { ...cached.headers };
    if (cacheControl === undefined) delete renewed.headers['cache-control'];
    else renewed.headers['cache-control'] = cacheControl;
    renewed.prepared = undefined;
  }
  renewed.ttl = edgeTtl(ctx.rt.behavior.policy, cacheControl, undefined, renewed.storedAt);
  Object.assign(renewed, staleWindows(cacheControl));
  renewed.prepared ??= preparedHitHeaders(renewed, ctx.rt, deps.via);
  deps.cache.set(ctx.key, renewed);
  return { entry: renewed, result: 'RefreshHit', fromCache: true };
}

/** §2.3 / §5.3: keep serving the expired copy for the error caching minimum TTL before asking again. */
function holdStale(deps: OriginDeps, ctx: Ctx, cached: CacheEntry, status: number, now: number): Outcome {
  const hold = customErrorFor(deps.errors, status)?.ttl ?? 10;
  const held: CacheEntry = { ...cached, errorHoldUntil: now + hold * 1000 };
  deps.cache.set(ctx.key, held);
  return { entry: held, result: 'Hit', fromCache: true };
}

/** An object too large to buffer: streamed through, never cached. */
function streamOutcome(deps: OriginDeps, ctx: Ctx, response: OriginResponse, storeKey: string): Outcome {
  const entry = transientEntry({ objectPath: ctx.objectPath, storeKey, status: 200, originStatus: 200, hitResult: 'Hit', headers: response.headers, body: Buffer.alloc(0), storedAt: deps.clock() });
  return { entry, result: 'Miss', stream: response.stream };
}

/** §9.6: origin unreachable (502) or too slow (504); custom error pages apply; cached for the error TTL. */
async function originFailure(deps: OriginDeps, ctx: Ctx, error: OriginError, customErrors: boolean): Promise<Outcome> {
  const timeout = error.status === 504;
  const body = Buffer.from(cloudFrontErrorPage(error.status, timeout ? ERROR_DETAIL.timeout : ERROR_DETAIL.origin, ctx.requestId));
  const response: OriginResponse = { status: error.status, headers: { 'content-type': 'text/html', server: 'CloudFront' }, body };
  const outcome = await processOriginResponse(deps, ctx, response, '', customErrors);
  return { ...outcome, detailed: timeout ? 'OriginReadError' : 'OriginConnectError' };
}
