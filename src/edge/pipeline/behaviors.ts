/**
 * §0 step 2: the behavior a viewer path selects (§1.2), with everything the pipeline derives
 * from it computed once at start-up (key headers, functions, headers policy) and the two
 * per-request lookups memoized for the hit path.
 */
import type { BehaviorTable, CompiledBehavior } from '../../behavior/table.js';
import { normalizeAcceptEncoding, type NormalizedEncoding } from '../accept-encoding.js';
import { normalizeHeaderNames } from '../cache-key.js';
import type { ApplyHeadersPolicy, EdgeFunction } from '../contracts.js';
import { policyViewerHeaders } from '../viewer-headers.js';
import type { BehaviorRuntime } from './types.js';

/** The runtime of one behavior; a function file that is not loaded is a start-up error. */
export function behaviorRuntime(
  behavior: CompiledBehavior,
  functions: ReadonlyMap<string, EdgeFunction> | undefined,
  headersPolicies: ReadonlyMap<string, ApplyHeadersPolicy> | undefined,
): BehaviorRuntime {
  const keyedHeaders = normalizeHeaderNames(behavior.policy.cacheKey.headers);
  const fn = (ref: { file: string } | undefined) => {
    if (!ref) return undefined;
    const loaded = functions?.get(ref.file);
    if (!loaded) throw new Error(`CloudFront function ${ref.file} is not loaded`);
    return loaded;
  };
  const { minTtl, defaultTtl, maxTtl } = behavior.policy;
  return {
    behavior,
    keyedHeaders,
    acceptEncodingKeyed: keyedHeaders.includes('accept-encoding'),
    cookiesForwarded: behavior.policy.cacheKey.cookies !== 'none',
    cachingDisabled: minTtl === 0 && defaultTtl === 0 && maxTtl === 0,
    // CloudFront adds a viewer header that either policy names (spec §2.8); only the cache key's are keyed.
    viewerHeaders: policyViewerHeaders([...behavior.policy.cacheKey.headers, ...(behavior.originRequest?.headers ?? [])]),
    policy: behavior.headersPolicy ? headersPolicies?.get(behavior.headersPolicy.name) : undefined,
    viewerRequest: fn(behavior.functions.viewerRequest),
    viewerResponse: fn(behavior.functions.viewerResponse),
  };
}

export class Behaviors {
  readonly runtimes: BehaviorRuntime[];
  /** Behavior by viewer path, bounded (cleared when full): a site has a handful of hot paths. */
  private readonly byPath = new Map<string, BehaviorRuntime>();
  private readonly aeMemo = new Map<string, NormalizedEncoding>();

  constructor(
    private readonly table: BehaviorTable,
    functions?: ReadonlyMap<string, EdgeFunction>,
    headersPolicies?: ReadonlyMap<string, ApplyHeadersPolicy>,
  ) {
    this.runtimes = table.behaviors.map((b) => behaviorRuntime(b, functions, headersPolicies));
  }

  /** The behavior of a viewer path (§1.2: first matching pattern, the default last). */
  forPath(path: string): BehaviorRuntime {
    let rt = this.byPath.get(path);
    if (rt === undefined) {
      rt = this.runtimes[this.table.resolve(path).index]!;
      if (this.byPath.size >= 10_000) this.byPath.clear();
      this.byPath.set(path, rt);
    }
    return rt;
  }

  /** §2.6 normalization, memoized: viewers send a handful of distinct headers. */
  acceptEncoding(header: string | undefined, rt: BehaviorRuntime, httpVersion: string): NormalizedEncoding {
    const { gzip, brotli } = rt.behavior.policy;
    const memoKey = `${gzip ? 1 : 0}${brotli ? 1 : 0}${httpVersion}|${header ?? '\0'}`;
    let ae = this.aeMemo.get(memoKey);
    if (ae === undefined) {
      ae = normalizeAcceptEncoding(header, rt.behavior.policy, httpVersion);
      if (this.aeMemo.size >= 1_000) this.aeMemo.clear();
      this.aeMemo.set(memoKey, ae);
    }
    return ae;
  }
}
