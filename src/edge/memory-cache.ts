/**
 * The edge's object cache: an LRU bounded in bytes (`lru-cache` with `maxSize`). Freshness is
 * not the LRU's business (stale copies are still useful, §2.3): entries leave by eviction or
 * invalidation only.
 */
import { LRUCache } from 'lru-cache';
import type { HeaderMap } from './contracts.js';
import type { Freshness } from './freshness.js';
import type { PathMatcher } from './invalidation.js';

export interface CacheEntry extends Freshness {
  /** Compared with invalidation paths (§8.1). */
  objectPath: string;
  /** The store key the object came from. */
  storeKey: string;
  /** Status sent to the viewer (a custom error response's `ResponseCode` when one applied). */
  status: number;
  /** The origin's status: the viewer-response function does not run when it is >= 400 (§7.2). */
  originStatus: number;
  /** Hits on this entry are logged as `Hit`, or `Error` for cached error responses (§4.2). */
  hitResult: 'Hit' | 'Error';
  /** Response headers as cached (lower-case names, no `Content-Length`, no CloudFront-added headers). */
  headers: HeaderMap;
  body: Buffer;
  /** The origin's ETag (unquoted), for conditional revalidation. */
  originEtag?: string;
  /**
   * Precomputed headers for a plain hit (no viewer-response function, not a CORS request),
   * built when the entry is stored: a flat `[name, value, ...]` list with the headers policy
   * applied, `Content-Length`, `Via` and `X-Amz-Cf-Pop`, ending with the three pairs a hit fills
   * in place (`Age`, `X-Cache`, `X-Amz-Cf-Id`; see HIT_SLOTS in pipeline/response-headers.ts).
   */
  prepared?: string[];
}

/** Bytes an entry is charged: body, headers and a fixed overhead. */
export function entrySize(entry: CacheEntry): number {
  let size = entry.body.length + 256 + entry.objectPath.length;
  for (const [k, v] of Object.entries(entry.headers)) size += k.length + (Array.isArray(v) ? v.join('').length : v.length);
  return size;
}

export class MemoryCache {
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(readonly maxBytes: number) {
    this.lru = new LRUCache<string, CacheEntry>({ maxSize: maxBytes, sizeCalculation: (e) => Math.max(1, entrySize(e)) });
  }

  get(key: string): CacheEntry | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: CacheEntry): void {
    // An object larger than the whole cache is served but not kept.
    if (entrySize(entry) > this.maxBytes) {
      this.lru.delete(key);
      return;
    }
    this.lru.set(key, entry);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Removes every entry whose object path matches; returns how many went. */
  invalidate(matches: PathMatcher): number {
    const doomed: string[] = [];
    for (const [key, entry] of this.lru.entries()) if (matches(entry.objectPath)) doomed.push(key);
    for (const key of doomed) this.lru.delete(key);
    return doomed.length;
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  clear(): void {
    this.lru.clear();
  }
}
