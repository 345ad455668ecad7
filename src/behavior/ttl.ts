/**
 * CloudFront's TTL decision table (spec/cloudfront.md §2.2): how long the edge keeps an
 * object, from the behavior's cache-policy TTLs and the origin's `Cache-Control` / `Expires`.
 */

export interface PolicyTtls {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
}

export interface CacheDirectives {
  maxAge?: number;
  sMaxage?: number;
  noCache: boolean;
  noStore: boolean;
  private: boolean;
  mustRevalidate: boolean;
  immutable: boolean;
  staleWhileRevalidate?: number;
  staleIfError?: number;
}

/** Parses a `Cache-Control` header; unknown directives are ignored, as caches must. */
export function parseCacheControl(header: string | undefined): CacheDirectives {
  const d: CacheDirectives = { noCache: false, noStore: false, private: false, mustRevalidate: false, immutable: false };
  if (!header) return d;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? undefined : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    const seconds = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
    switch (name) {
      case 'max-age':
        if (seconds !== undefined) d.maxAge = seconds;
        break;
      case 's-maxage':
        if (seconds !== undefined) d.sMaxage = seconds;
        break;
      case 'stale-while-revalidate':
        if (seconds !== undefined) d.staleWhileRevalidate = seconds;
        break;
      case 'stale-if-error':
        if (seconds !== undefined) d.staleIfError = seconds;
        break;
      case 'no-cache':
        // `no-cache="Set-Cookie"` only stops caching of that header (§2.2), not of the object.
        if (raw === undefined) d.noCache = true;
        break;
      case 'no-store':
        d.noStore = true;
        break;
      case 'private':
        if (raw === undefined) d.private = true;
        break;
      case 'must-revalidate':
        d.mustRevalidate = true;
        break;
      case 'immutable':
        d.immutable = true;
        break;
    }
  }
  return d;
}

/**
 * Seconds the edge treats the object as fresh. 0 means "not stored" when `minTtl` is 0.
 *
 * `expires` is the origin's `Expires` header, `nowMs` the current time (an injected clock).
 */
export function edgeTtl(policy: PolicyTtls, cacheControl: string | undefined, expires: string | undefined, nowMs: number): number {
  const { minTtl, defaultTtl, maxTtl } = policy;
  const cc = parseCacheControl(cacheControl);
  if (cc.noCache || cc.noStore || cc.private) return minTtl;
  let seconds: number;
  if (cc.sMaxage !== undefined) seconds = cc.sMaxage;
  else if (cc.maxAge !== undefined) seconds = cc.maxAge;
  else if (expires !== undefined) {
    const at = Date.parse(expires);
    // An unparseable Expires means "already expired" (RFC 9111 §5.3).
    seconds = Number.isNaN(at) ? 0 : Math.floor((at - nowMs) / 1000);
  } else return Math.max(minTtl, defaultTtl);
  return clamp(seconds, minTtl, maxTtl);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}
