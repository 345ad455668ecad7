/**
 * The hit path: a fresh cached object on a behavior without functions, for a request with
 * nothing that changes the answer (no range, validators, CORS, body). It is §0's stages with
 * every decision already made: behavior and Accept-Encoding from memos, one key, one map lookup
 * and one write of the header list built when the entry was stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ageSeconds, freshnessState } from '../freshness.js';
import type { MemoryCache } from '../memory-cache.js';
import type { Behaviors } from './behaviors.js';
import { requestKey } from './cache-lookup.js';
import { deliverHit } from './delivery.js';
import { joinHeader } from './record.js';
import { MAX_URL_BYTES } from './viewer-request.js';

/** §4.2 `X-Cache` of a hit, and of a cached error. Constant strings: Node copies a built one before checking it. */
const X_CACHE_HIT = 'Hit from cloudfront';
const X_CACHE_ERROR = 'Error from cloudfront';

export interface PlainHitDeps {
  behaviors: Behaviors;
  cache: MemoryCache;
  clock: () => number;
  nextId: () => string;
  defaultRoot: string | undefined;
}

/** Whether the request was a plain hit, answered here; false leaves it to the full pipeline. */
export function tryPlainHit(deps: PlainHitDeps, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  const method = req.method;
  if ((method !== 'GET' && method !== 'HEAD') || url.length > MAX_URL_BYTES) return false;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.charCodeAt(0) !== 47 /* / */) return false;
  const rt = deps.behaviors.forPath(path);
  if (rt.viewerRequest || rt.viewerResponse) return false;
  const h = req.headers;
  if (h.range !== undefined || h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined) return false;
  if (h.origin !== undefined || h.pragma !== undefined) return false;
  if (h['content-length'] !== undefined || h['transfer-encoding'] !== undefined) return false;
  const uri = path === '/' && deps.defaultRoot ? deps.defaultRoot : path;
  const ae = deps.behaviors.acceptEncoding(joinHeader(h['accept-encoding']), rt, req.httpVersion);
  const { key } = requestKey(rt, method, uri, q === -1 ? '' : url.slice(q + 1), (n) => joinHeader(h[n]), ae);
  const entry = deps.cache.get(key);
  if (!entry?.prepared) return false;
  const now = deps.clock();
  if (freshnessState(entry, now) !== 'fresh') return false;
  deliverHit(res, entry.status, entry.prepared, entry.hitResult === 'Hit' ? X_CACHE_HIT : X_CACHE_ERROR, deps.nextId(), String(ageSeconds(entry, now)), method === 'HEAD' ? undefined : entry.body);
  return true;
}
