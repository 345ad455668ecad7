/**
 * The hit path: a fresh cached object on a behavior without functions, for a request with
 * nothing that changes the answer (no range, validators, CORS, body). It is §0's stages with
 * every decision already made: the request's headers read in one pass over the raw lines (Node
 * builds `req.headers` only when asked), the cache key from a memo by URL and Accept-Encoding,
 * one map lookup and one write of the header list built when the entry was stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ageSeconds, freshnessState } from '../freshness.js';
import type { MemoryCache } from '../memory-cache.js';
import type { Behaviors } from './behaviors.js';
import { requestKey } from './cache-lookup.js';
import { deliverHit } from './delivery.js';
import { joinHeader } from './record.js';
import type { BehaviorRuntime } from './types.js';
import { MAX_URL_BYTES } from './viewer-request.js';

/** §4.2 `X-Cache` of a hit, and of a cached error. Constant strings: Node copies a built one before checking it. */
const X_CACHE_HIT = 'Hit from cloudfront';
const X_CACHE_ERROR = 'Error from cloudfront';

/** Request headers that take a request off the hit path (the full pipeline answers it). */
const DISQUALIFYING = new Set(['range', 'if-none-match', 'if-modified-since', 'origin', 'pragma', 'content-length', 'transfer-encoding']);
const NAME_LENGTHS = new Set([...DISQUALIFYING, 'accept-encoding'].map((n) => n.length));
/** Keys kept per Accept-Encoding value before the memo starts again. */
const MEMO_LIMIT = 10_000;

export interface PlainHitDeps {
  behaviors: Behaviors;
  cache: MemoryCache;
  clock: () => number;
  nextId: () => string;
  defaultRoot: string | undefined;
}

/**
 * `Accept-Encoding` of a request that may take the hit path ('' when absent), or undefined when
 * a header takes it off the path. Only names of a length that matters are lower-cased.
 */
export function hitPathAcceptEncoding(rawHeaders: readonly string[]): string | undefined {
  let ae: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!;
    if (!NAME_LENGTHS.has(raw.length)) continue;
    const name = raw.toLowerCase();
    if (name === 'accept-encoding') ae = ae === undefined ? rawHeaders[i + 1]! : `${ae}, ${rawHeaders[i + 1]!}`;
    else if (DISQUALIFYING.has(name)) return undefined;
  }
  return ae ?? '';
}

export class PlainHits {
  /** Cache key by Accept-Encoding value, then URL: both flat strings from the parser, so no key is built per hit. */
  private readonly keys = new Map<string, Map<string, string>>();

  constructor(private readonly deps: PlainHitDeps) {}

  /** Whether the request was a plain hit, answered here; false leaves it to the full pipeline. */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || url.length > MAX_URL_BYTES || url.charCodeAt(0) !== 47 /* / */) return false;
    const ae = hitPathAcceptEncoding(req.rawHeaders);
    if (ae === undefined) return false;
    const key = this.keyFor(req, url, method, ae);
    const entry = key === undefined ? undefined : this.deps.cache.get(key);
    if (!entry?.prepared) return false;
    const now = this.deps.clock();
    if (freshnessState(entry, now) !== 'fresh') return false;
    const xCache = entry.hitResult === 'Hit' ? X_CACHE_HIT : X_CACHE_ERROR;
    deliverHit(res, entry.status, entry.prepared, xCache, this.deps.nextId(), String(ageSeconds(entry, now)), method === 'HEAD' ? undefined : entry.body);
    return true;
  }

  /** The cache key, memoized where it depends on the URL and Accept-Encoding only; undefined for a behavior the hit path does not serve. */
  private keyFor(req: IncomingMessage, url: string, method: string, ae: string): string | undefined {
    const memo = req.httpVersion === '1.1' ? this.keys.get(ae) : undefined;
    const known = memo?.get(url);
    if (known !== undefined) return known;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rt = this.deps.behaviors.forPath(path);
    // Functions, and CloudFront's viewer headers (in the key, or forwarded to the origin), need the full pipeline.
    if (rt.viewerRequest || rt.viewerResponse || rt.viewerHeaders.length > 0) return undefined;
    const uri = path === '/' && this.deps.defaultRoot ? this.deps.defaultRoot : path;
    const normalized = this.deps.behaviors.acceptEncoding(ae === '' ? undefined : ae, rt, req.httpVersion);
    const { key } = requestKey(rt, method, uri, q === -1 ? '' : url.slice(q + 1), (n) => joinHeader(req.headers[n]), normalized);
    if (req.httpVersion === '1.1' && keyedByUrlOnly(rt)) this.remember(ae, url, key);
    return key;
  }

  private remember(ae: string, url: string, key: string): void {
    let memo = this.keys.get(ae);
    if (memo === undefined) {
      if (this.keys.size >= 100) this.keys.clear();
      this.keys.set(ae, (memo = new Map()));
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(url, key);
  }
}

/** A key with no headers or cookies in it is a function of the URL and Accept-Encoding alone. */
function keyedByUrlOnly(rt: BehaviorRuntime): boolean {
  return rt.keyedHeaders.length === 0 && rt.behavior.policy.cacheKey.cookies === 'none';
}
