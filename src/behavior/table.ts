import path from 'node:path';
import type { BehaviorConfig, CacheConfig, HeadersPolicyConfig } from '../config/schema.js';
import type { SiteModel } from '../config/model.js';
import { hasContentHash } from './hashed-name.js';
import { contentTypeFor, IMMUTABLE_CACHE_CONTROL, isHtml, objectCacheControl, ONE_YEAR } from './headers.js';
import { canonicalPattern, matchPattern } from './pattern.js';
import { redirectsViewerHeaders } from '../redirects/viewer-headers.js';

/** What goes into the cache key besides the path (spec §2.5). */
export interface CacheKeyConfig {
  queryStrings: 'none' | 'all' | string[];
  headers: string[];
  cookies: 'none' | 'all' | string[];
}

/** A CloudFront cache policy, shared by every behavior with the same intent. */
export interface CachePolicy {
  /** Stable, readable name derived from the intent (`immutable-1y`, `edge-5m`); used as the CDK construct id. */
  name: string;
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  gzip: boolean;
  brotli: boolean;
  cacheKey: CacheKeyConfig;
}

/**
 * An origin request policy (spec §2.8): headers CloudFront adds to the request, so the
 * viewer-request function and the origin see them, without putting them in the cache key.
 * Shared by every behavior with the same list.
 */
export interface OriginRequestPolicy {
  /** Stable, readable name from the headers (`cloudfront-viewer-country`); used as the CDK construct id. */
  name: string;
  /** Header names as CloudFront spells them; none of them is in the behavior's cache key. */
  headers: string[];
}

export interface FunctionRef {
  /** CloudFront function name: letters, digits, `-` and `_` (from the file name). */
  name: string;
  /** Absolute path of the JavaScript file: the same file runs locally and in CloudFront. */
  file: string;
}

export interface CompiledBehavior {
  /** Position in the ordered list; the default behavior has the last index. */
  index: number;
  /** The pattern as configured. */
  pattern: string;
  isDefault: boolean;
  cache: CacheConfig;
  immutable: boolean;
  /** Objects whose file name carries a content hash are stored immutable (`cache.hashedNames`). */
  hashedNamesImmutable: boolean;
  /** `Cache-Control` stored on each object of this behavior (but hashed names under `hashedNamesImmutable`). */
  cacheControl: string;
  policy: CachePolicy;
  /** Headers forwarded but not keyed; absent when the cache policy alone says what CloudFront adds. */
  originRequest?: OriginRequestPolicy;
  compress: boolean;
  functions: { viewerRequest?: FunctionRef; viewerResponse?: FunctionRef };
  headersPolicy?: { name: string; config: HeadersPolicyConfig };
}

export interface BehaviorTable {
  behaviors: CompiledBehavior[];
  /** Distinct cache policies, in order of first use. */
  policies: CachePolicy[];
  /** Distinct origin request policies, in order of first use (none for most sites). */
  originRequestPolicies: OriginRequestPolicy[];
  /** Every distinct function file, in order of first use. */
  functions: FunctionRef[];
  /** The behavior CloudFront picks for a viewer path (first match; query string ignored). */
  resolve(urlPath: string): CompiledBehavior;
  /** Headers stored on an object at upload, and whether the object is immutable (by its behavior or its hashed name). */
  objectHeaders(key: string): ObjectHeaders;
}

export interface ObjectHeaders {
  cacheControl: string;
  contentType: string;
  behavior: CompiledBehavior;
  immutable: boolean;
}

const NO_KEY: CacheKeyConfig = { queryStrings: 'none', headers: [], cookies: 'none' };

/** The cache-policy TTLs that honour a cache intent under CloudFront's TTL table (spec §2.2). */
export function policyTtls(cache: CacheConfig): Pick<CachePolicy, 'minTtl' | 'defaultTtl' | 'maxTtl'> {
  if (cache === 'immutable') return { minTtl: ONE_YEAR, defaultTtl: ONE_YEAR, maxTtl: ONE_YEAR };
  if (cache === 'no-store') return { minTtl: 0, defaultTtl: 0, maxTtl: 0 };
  // Objects carry s-maxage=edge, which CloudFront clamps into [min, max]. MaxTTL also bounds how long a
  // stale copy may be served (§2.3), so it leaves room for the stale windows after the edge TTL.
  const stale = Math.max(cache.staleWhileRevalidate ?? 0, cache.staleIfError ?? 0);
  // Objects with hashed names carry max-age of a year: MaxTTL lets the edge keep them that long.
  const longest = cache.hashedNames === 'immutable' ? ONE_YEAR : 0;
  return { minTtl: 0, defaultTtl: cache.edge, maxTtl: Math.max(cache.edge + stale, longest) };
}

function policyName(cache: CacheConfig, compress: boolean, key: CacheKeyConfig): string {
  let name: string;
  if (cache === 'immutable') name = 'immutable-1y';
  else if (cache === 'no-store') name = 'no-store';
  else {
    name = `edge-${shortDuration(cache.edge)}`;
    if (cache.staleWhileRevalidate) name += `-swr-${shortDuration(cache.staleWhileRevalidate)}`;
    if (cache.staleIfError) name += `-sie-${shortDuration(cache.staleIfError)}`;
    if (cache.hashedNames === 'immutable') name += '-hashed-1y';
  }
  if (!compress) name += '-uncompressed';
  if (JSON.stringify(key) !== JSON.stringify(NO_KEY)) name += '-keyed';
  return name;
}

function shortDuration(seconds: number): string {
  for (const [unit, size] of [['y', ONE_YEAR], ['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

export function functionName(file: string): string {
  return path.basename(file).replace(/\.[cm]?js$/, '').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
}

/** Compiles the site's ordered behaviors once; `resolve` and `objectHeaders` are then lookups. */
export function compileTable(site: Pick<SiteModel, 'behaviors' | 'headersPolicies' | 'redirects'>): BehaviorTable {
  const policies = new Map<string, CachePolicy>();
  const originRequests = new Map<string, OriginRequestPolicy>();
  const originRequest = (b: BehaviorConfig, cacheKey: CacheKeyConfig): OriginRequestPolicy | undefined => {
    // An origin request policy, not the cache key: the url-handler answers a country redirect
    // before the cache lookup (spec §0 steps 6 and 8), so keying the cache by country would only
    // split each page into one copy per country. A header the cache key already names is added
    // and forwarded by the cache policy (spec §2.8), so it is not listed twice.
    const keyed = new Set(cacheKey.headers.map((h) => h.toLowerCase()));
    const headers = redirectsViewerHeaders(site.redirects, b.functions?.viewerRequest).filter((h) => !keyed.has(h.toLowerCase()));
    if (headers.length === 0) return undefined;
    const name = headers.map((h) => h.toLowerCase()).join('-');
    let policy = originRequests.get(name);
    if (!policy) originRequests.set(name, (policy = { name, headers }));
    return policy;
  };
  const functions = new Map<string, FunctionRef>();
  const fn = (file: string | undefined): FunctionRef | undefined => {
    if (file === undefined) return undefined;
    let ref = functions.get(file);
    if (!ref) {
      ref = { name: functionName(file), file };
      functions.set(file, ref);
    }
    return ref;
  };

  const behaviors = site.behaviors.map((b: BehaviorConfig, index): CompiledBehavior => {
    const cacheKey = b.cacheKey ?? NO_KEY;
    // TTL 0 disables caching, and CloudFront does not compress what it does not cache (spec §3.1).
    const compressible = b.compress && b.cache !== 'no-store';
    const ttls = policyTtls(b.cache);
    const identity = JSON.stringify({ ttls, compressible, cacheKey });
    let policy = policies.get(identity);
    if (!policy) {
      const base = policyName(b.cache, compressible, cacheKey);
      const taken = [...policies.values()].some((p) => p.name === base);
      policy = { name: taken ? `${base}-${policies.size + 1}` : base, ...ttls, gzip: compressible, brotli: compressible, cacheKey };
      policies.set(identity, policy);
    }
    return {
      index,
      pattern: b.path,
      isDefault: canonicalPattern(b.path) === '*',
      cache: b.cache,
      immutable: b.cache === 'immutable',
      hashedNamesImmutable: typeof b.cache === 'object' && b.cache.hashedNames === 'immutable',
      cacheControl: objectCacheControl(b.cache),
      policy,
      originRequest: originRequest(b, cacheKey),
      compress: compressible,
      functions: { viewerRequest: fn(b.functions?.viewerRequest), viewerResponse: fn(b.functions?.viewerResponse) },
      headersPolicy: b.headers === undefined ? undefined : { name: b.headers, config: site.headersPolicies[b.headers]! },
    };
  });
  const fallback = behaviors[behaviors.length - 1];
  if (!fallback?.isDefault) throw new Error('behavior table has no default "*" behavior; build it from a resolved SiteModel');

  const resolve = (urlPath: string): CompiledBehavior => behaviors.find((b) => matchPattern(b.pattern, urlPath)) ?? fallback;
  return {
    behaviors,
    policies: [...policies.values()],
    originRequestPolicies: [...originRequests.values()],
    functions: [...functions.values()],
    resolve,
    objectHeaders(key) {
      const behavior = resolve(`/${key}`);
      const contentType = contentTypeFor(key);
      if (behavior.hashedNamesImmutable && !isHtml(contentType) && hasContentHash(key.slice(key.lastIndexOf('/') + 1))) {
        return { cacheControl: IMMUTABLE_CACHE_CONTROL, contentType, behavior, immutable: true };
      }
      return { cacheControl: behavior.cacheControl, contentType, behavior, immutable: behavior.immutable };
    },
  };
}
