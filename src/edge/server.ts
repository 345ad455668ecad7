/**
 * The local edge's request pipeline, in CloudFront's order (spec/cloudfront.md §0):
 * size checks -> behavior from the viewer path -> allowed methods -> viewer-request function ->
 * default root object -> cache key -> hit / stale / revalidate / miss (collapsed) -> origin
 * response processing (TTL, errors, compression) -> viewer-response function -> response
 * headers policy -> CloudFront headers -> log.
 *
 * A plain cache hit is a map lookup plus one write of precomputed headers and a buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { edgeTtl } from '../behavior/ttl.js';
import { compileTable, type BehaviorTable, type CompiledBehavior } from '../behavior/table.js';
import type { SiteModel } from '../config/model.js';
import type { ObjectStore } from '../store/types.js';
import { normalizeAcceptEncoding, preferredCoding, type NormalizedEncoding } from './accept-encoding.js';
import { cacheKey, normalizeHeaderNames } from './cache-key.js';
import { compressBody, compressedEtag, compressionFor, MAX_COMPRESS_BYTES } from './compression.js';
import { notModified } from './conditional.js';
import { FunctionExecutionError, FunctionValidationError, type ApplyHeadersPolicy, type EdgeFunction, type HeaderMap } from './contracts.js';
import { cloudFrontErrorPage, customErrorFor, ERROR_DETAIL, errorTtl, STATUS_TEXT } from './errors.js';
import { ageSeconds, freshnessState, mayServeStaleOnError, staleWindows } from './freshness.js';
import { headerLookup, type FunctionBridge, type RequestView } from './function-bridge.js';
import { LOCAL_POP, requestIdSource, viaHeader } from './ids.js';
import { compileInvalidation, validateInvalidation } from './invalidation.js';
import { MemoryCache, type CacheEntry } from './memory-cache.js';
import { storeKeyFor } from './object-key.js';
import { missingResponse, Origin, OriginError, type OriginResponse } from './origin.js';
import { contentRange, decideRange, multipartBody } from './range.js';

/** Log result types (§9.5 field 14) and `X-Cache` values (§4.2). */
const X_CACHE_HIT = 'Hit from cloudfront';
const X_CACHE_ERROR = 'Error from cloudfront';

export type ResultType =
  | 'Hit'
  | 'RefreshHit'
  | 'Miss'
  | 'Error'
  | 'FunctionGeneratedResponse'
  | 'FunctionExecutionError'
  | 'FunctionValidationError';

/** Everything the access log needs about one request (§9.5). */
export interface RequestRecord {
  /** Wall-clock time the request arrived. */
  date: Date;
  requestId: string;
  clientIp: string;
  clientPort: number;
  method: string;
  host: string;
  uriStem: string;
  query: string;
  status: number;
  referer?: string;
  userAgent?: string;
  cookie?: string;
  resultType: ResultType;
  /** §9.5 field 29 (e.g. `InvalidRequestMethod`, `OriginConnectError`, `MissGeneratedResponse`). */
  detailedResultType: string;
  protocolVersion: string;
  bytesSent: number;
  bytesReceived: number;
  /** Seconds. */
  timeTaken: number;
  contentType?: string;
  contentLength?: number;
  rangeStart?: number;
  rangeEnd?: number;
  forwardedFor?: string;
  /** The functions that ran for this request, with their compute utilization (§7.5) and error. */
  functionRuns?: FunctionRunRecord[];
}

export interface FunctionRunRecord {
  eventType: 'viewer-request' | 'viewer-response';
  functionName: string;
  computeUtilization?: number;
  /** `FunctionExecutionError: <reason>` when the run failed. */
  error?: string;
}

export interface EdgeHandlerOptions {
  site: SiteModel;
  store: ObjectStore;
  /** ms since the epoch; injected so TTL tests move time instead of sleeping. */
  clock?: () => number;
  /** Bytes of cached objects kept in memory. */
  cacheSize?: number;
  /** Loaded CloudFront Functions by absolute file path. */
  functions?: ReadonlyMap<string, EdgeFunction>;
  bridge?: FunctionBridge;
  /** Compiled response-headers policies by name. */
  headersPolicies?: ReadonlyMap<string, ApplyHeadersPolicy>;
  onRequest?: (record: RequestRecord) => void;
  /** A missing key answers 404 NoSuchKey (as with s3:ListBucket) instead of 403 AccessDenied. */
  listBucket?: boolean;
  originTimeoutMs?: number;
  distributionDomainName?: string;
  /** Told of every failed function run (serve prints each distinct reason once). */
  onFunctionError?: (error: FunctionExecutionError | FunctionValidationError) => void;
}

/** CloudFront's URL limit (§4.11). */
export const MAX_URL_BYTES = 8_192;
export const DEFAULT_CACHE_SIZE = 256 * 1024 * 1024;

interface BehaviorRuntime {
  behavior: CompiledBehavior;
  keyedHeaders: string[];
  /** Accept-Encoding listed among the key headers: CloudFront never compresses then (§2.6). */
  acceptEncodingKeyed: boolean;
  cookiesForwarded: boolean;
  /** CachingDisabled-like: nothing stored, no collapsing (§2.2, §2.7). */
  cachingDisabled: boolean;
  policy?: ApplyHeadersPolicy;
  viewerRequest?: EdgeFunction;
  viewerResponse?: EdgeFunction;
}

interface Outcome {
  entry: CacheEntry;
  result: ResultType;
  detailed?: string;
  /** Served from the cache (then the response carries `Age`, §4.1). */
  fromCache?: boolean;
  /** An object too large to buffer, streamed from the origin (never cached, never collapsed). */
  stream?: { body: Readable; size: number };
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  started: bigint;
  date: Date;
  rt: BehaviorRuntime;
  view: RequestView;
  headers: Record<string, string>;
  ae: NormalizedEncoding;
  key?: string;
  objectPath?: string;
  record: Partial<RequestRecord>;
}

export class EdgeHandler {
  readonly table: BehaviorTable;
  readonly cache: MemoryCache;
  private readonly runtimes: BehaviorRuntime[];
  private readonly origin: Origin;
  private readonly clock: () => number;
  private readonly nextId = requestIdSource();
  private readonly via = viaHeader();
  private readonly inflight = new Map<string, Promise<Outcome>>();
  #collapsedWaiting = 0;

  /** Requests waiting on another request's origin fetch for the same cache key right now (request collapsing, §2.2). */
  get collapsedWaiting(): number {
    return this.#collapsedWaiting;
  }
  private readonly defaultRoot: string | undefined;
  /** Background refreshes (stale-while-revalidate) still running; awaited by `settle()` in tests. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly options: EdgeHandlerOptions) {
    this.table = compileTable(options.site);
    this.clock = options.clock ?? Date.now;
    this.cache = new MemoryCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
    // A request never buffers more than max(10 MB, a eighth of the cache): larger objects stream through.
    const maxBufferBytes = Math.max(MAX_COMPRESS_BYTES, Math.floor((options.cacheSize ?? DEFAULT_CACHE_SIZE) / 8));
    this.origin = new Origin({ store: options.store, listBucket: options.listBucket, timeoutMs: options.originTimeoutMs, maxBufferBytes });
    const dro = options.site.defaultRootObject;
    this.defaultRoot = dro ? `/${dro.split('/').map(encodeURIComponent).join('/')}` : undefined;
    this.runtimes = this.table.behaviors.map((behavior) => {
      const keyedHeaders = normalizeHeaderNames(behavior.policy.cacheKey.headers);
      const fn = (ref: { file: string } | undefined) => {
        if (!ref) return undefined;
        const loaded = options.functions?.get(ref.file);
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
        policy: behavior.headersPolicy ? options.headersPolicies?.get(behavior.headersPolicy.name) : undefined,
        viewerRequest: fn(behavior.functions.viewerRequest),
        viewerResponse: fn(behavior.functions.viewerResponse),
      };
    });
  }

  /** Removes cached objects by CloudFront's invalidation rules (§8.1); returns how many went. */
  invalidate(paths: readonly string[]): number {
    validateInvalidation(paths);
    return this.cache.invalidate(compileInvalidation(paths));
  }

  /** Resolves when every background refresh has finished (for tests; the server never waits). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** The request listener. Never throws; every failure becomes a CloudFront-shaped response. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    // Fast path: a fresh plain hit on a behavior without a viewer-request function.
    if ((method === 'GET' || method === 'HEAD') && url.length <= MAX_URL_BYTES && !this.options.onRequest) {
      if (this.tryFastHit(req, res, url, method)) return;
    }
    this.handleFull(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        this.sendGenerated(res, 502, ERROR_DETAIL.origin, this.nextId(), 'Error', true);
      } else res.destroy(error as Error);
    });
  };

  /** Behavior index by viewer path, memoized for the hot path (bounded; cleared when full). */
  private readonly resolved = new Map<string, BehaviorRuntime>();

  private runtimeFor(path: string): BehaviorRuntime {
    let rt = this.resolved.get(path);
    if (rt === undefined) {
      rt = this.runtimes[this.table.resolve(path).index]!;
      if (this.resolved.size >= 10_000) this.resolved.clear();
      this.resolved.set(path, rt);
    }
    return rt;
  }

  private readonly aeMemo = new Map<string, NormalizedEncoding>();

  /** §2.6 normalization, memoized: viewers send a handful of distinct headers. */
  private acceptEncoding(header: string | undefined, rt: BehaviorRuntime, httpVersion: string): NormalizedEncoding {
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

  private tryFastHit(req: IncomingMessage, res: ServerResponse, url: string, method: string): boolean {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.charCodeAt(0) !== 47 /* / */) return false;
    const rt = this.runtimeFor(path);
    if (rt.viewerRequest || rt.viewerResponse) return false;
    const h = req.headers;
    if (h.range !== undefined || h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined) return false;
    if (h.origin !== undefined || h.pragma !== undefined) return false;
    if (h['content-length'] !== undefined || h['transfer-encoding'] !== undefined) return false;
    const uri = path === '/' && this.defaultRoot ? this.defaultRoot : path;
    const ae = this.acceptEncoding(joinHeader(h['accept-encoding']), rt, req.httpVersion);
    const { key } = cacheKey(
      { behaviorIndex: rt.behavior.index, method, uri, query: q === -1 ? '' : url.slice(q + 1), header: (n) => joinHeader(h[n]), acceptEncoding: ae.key },
      rt.behavior.policy.cacheKey,
      rt.keyedHeaders,
    );
    const entry = this.cache.get(key);
    if (!entry?.prepared) return false;
    const now = this.clock();
    if (freshnessState(entry, now) !== 'fresh') return false;
    const headers = entry.prepared.slice();
    // Constant strings: Node checks every header value, and a string built per request costs a copy first.
    headers.push('age', String(ageSeconds(entry, now)), 'x-cache', entry.hitResult === 'Hit' ? X_CACHE_HIT : X_CACHE_ERROR, 'x-amz-cf-id', this.nextId());
    res.writeHead(entry.status, headers);
    res.end(method === 'HEAD' ? undefined : entry.body);
    return true;
  }

  private async handleFull(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.nextId();
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const ctxRecord: Partial<RequestRecord> = {};
    const started = process.hrtime.bigint();
    const date = new Date();
    const log = (status: number, resultType: ResultType, detailed: string, bytesSent: number, extra: Partial<RequestRecord> = {}) => {
      if (!this.options.onRequest) return;
      const q = url.indexOf('?');
      this.options.onRequest({
        date,
        requestId,
        clientIp: req.socket.remoteAddress ?? '-',
        clientPort: req.socket.remotePort ?? 0,
        method,
        host: joinHeader(req.headers.host) ?? '-',
        uriStem: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        status,
        referer: joinHeader(req.headers.referer),
        userAgent: joinHeader(req.headers['user-agent']),
        cookie: joinHeader(req.headers.cookie),
        resultType,
        detailedResultType: detailed,
        protocolVersion: `HTTP/${req.httpVersion}`,
        bytesSent,
        bytesReceived: Number(req.headers['content-length'] ?? 0) + url.length,
        timeTaken: Number(process.hrtime.bigint() - started) / 1e9,
        forwardedFor: joinHeader(req.headers['x-forwarded-for']),
        ...ctxRecord,
        ...extra,
      });
    };

    // §0 step 1 / §4.11: a URL over 8,192 bytes -> 413, connection closed, not logged.
    if (Buffer.byteLength(url) > MAX_URL_BYTES) {
      this.sendGenerated(res, 413, ERROR_DETAIL.tooLarge, requestId, 'Error', true);
      return;
    }
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (!path.startsWith('/')) {
      const sent = this.sendGenerated(res, 400, ERROR_DETAIL.badRequest, requestId, 'Error', false);
      log(400, 'Error', 'InvalidRequest', sent);
      return;
    }
    // §0 step 2: the behavior comes from the viewer's path, before any function runs (§1.2).
    const rt = this.runtimeFor(path);
    // §0 step 4: static distributions allow GET and HEAD (CDK's default ALLOW_GET_HEAD).
    if (method !== 'GET' && method !== 'HEAD') {
      const sent = this.sendGenerated(res, 403, ERROR_DETAIL.method, requestId, 'Error', false, rt, req);
      log(403, 'Error', 'InvalidRequestMethod', sent);
      req.resume();
      return;
    }
    // §0 step 5: GET with a body -> 403.
    const length = req.headers['content-length'];
    if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
      const sent = this.sendGenerated(res, 403, ERROR_DETAIL.body, requestId, 'Error', true, rt, req);
      log(403, 'Error', 'InvalidRequest', sent);
      return;
    }

    let view: RequestView = {
      method,
      uri: path,
      query: q === -1 ? '' : url.slice(q + 1),
      hasQuery: q !== -1,
      rawHeaders: req.rawHeaders,
      clientIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
    };

    // §0 step 6: viewer-request function.
    if (rt.viewerRequest) {
      try {
        const outcome = await this.bridge().viewerRequest(rt.viewerRequest, view);
        this.noteRun(ctxRecord, 'viewer-request', rt.viewerRequest, outcome.computeUtilization);
        if ('response' in outcome) {
          const r = outcome.response;
          const headers: HeaderMap = { ...r.headers };
          if (headers.server === undefined) headers.server = 'CloudFront';
          const sent = this.write(res, r.status, headers, method === 'HEAD' ? undefined : r.body, 'FunctionGeneratedResponse', requestId, undefined, rt, req, r.statusText);
          log(r.status, 'FunctionGeneratedResponse', 'FunctionGeneratedResponse', sent);
          return;
        }
        view = outcome.request;
      } catch (error) {
        this.noteRun(ctxRecord, 'viewer-request', rt.viewerRequest, undefined, error);
        const sent = this.sendFunctionError(res, error, requestId, rt, req);
        log(sent.status, sent.result, sent.result, sent.bytes);
        return;
      }
    }

    // §0 step 7: default root object, after the function and only for exactly `/` (§4.9).
    if (view.uri === '/' && this.defaultRoot) view = { ...view, uri: this.defaultRoot };
    const headers = headerLookup(view.rawHeaders);
    const rangeHeader = headers.range;
    // Ranges are served from the identity representation: a 206 is never compressed (§3.1 rule 7).
    const ae = rangeHeader !== undefined ? normalizeAcceptEncoding(undefined, rt.behavior.policy) : normalizeAcceptEncoding(headers['accept-encoding'], rt.behavior.policy, req.httpVersion);
    const ctx: Ctx = { req, res, requestId, started, date, rt, view, headers, ae, record: ctxRecord };
    const k = cacheKey({ behaviorIndex: rt.behavior.index, method, uri: view.uri, query: view.query, header: (n) => headers[n], acceptEncoding: ae.key }, rt.behavior.policy.cacheKey, rt.keyedHeaders);
    ctx.key = k.key;
    ctx.objectPath = k.objectPath;

    const storeKey = storeKeyFor(view.uri);
    if (!storeKey.ok && storeKey.reason === 'bad-request') {
      const sent = this.sendGenerated(res, 400, ERROR_DETAIL.badRequest, requestId, 'Error', false, rt, req);
      log(400, 'Error', 'InvalidRequest', sent);
      return;
    }
    const outcome = await this.obtain(ctx, storeKey.ok ? storeKey.key : undefined, true);
    const served = outcome.stream ? await this.serveStream(ctx, outcome, outcome.stream) : await this.serveEntry(ctx, outcome);
    log(served.status, outcome.result, outcome.detailed ?? outcome.result, served.bytes, served.extra);
  }

  /** Records a function run for the log; a failure also goes to `onFunctionError`. */
  private noteRun(record: Partial<RequestRecord>, eventType: FunctionRunRecord['eventType'], fn: EdgeFunction, computeUtilization?: number, error?: unknown): void {
    const failed = error instanceof FunctionExecutionError || error instanceof FunctionValidationError ? error : undefined;
    const run: FunctionRunRecord = { eventType, functionName: fn.name, computeUtilization: computeUtilization ?? failed?.computeUtilization };
    if (error !== undefined) run.error = failed ? `${failed.name}: ${failed.message}` : String(error);
    (record.functionRuns ??= []).push(run);
    if (failed) this.options.onFunctionError?.(failed);
  }

  private bridge(): FunctionBridge {
    if (!this.options.bridge) throw new FunctionExecutionError('no CloudFront Functions runtime is loaded', 'edge');
    return this.options.bridge;
  }

  // -------------------------------------------------------------------------------------------
  // Cache: hit, stale, revalidation, miss (§2.2-§2.4), collapsing (§2.2).

  /** The entry that answers this request, from cache or origin. `storeKey` undefined: the key can never exist. */
  private async obtain(ctx: Ctx, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
    const key = ctx.key!;
    const rt = ctx.rt;
    const now = this.clock();
    const cached = rt.cachingDisabled ? undefined : this.cache.get(key);
    if (cached) {
      const state = freshnessState(cached, now);
      if (state === 'fresh') return { entry: cached, result: cached.hitResult, fromCache: true };
      if (state === 'error-hold') return { entry: cached, result: 'Hit', fromCache: true };
      if (state === 'stale-while-revalidate') {
        // §2.3: answer at once with the stale copy; exactly one background refresh per key.
        if (!this.inflight.has(key)) {
          const refresh = this.collapse(key, () => this.refresh(ctx, cached, storeKey, customErrors));
          const tracked = refresh.catch(() => undefined).finally(() => this.background.delete(tracked));
          this.background.add(tracked);
        }
        return { entry: cached, result: 'Hit', fromCache: true };
      }
    }
    const run = () => (cached ? this.refresh(ctx, cached, storeKey, customErrors) : this.fetch(ctx, storeKey, customErrors));
    if (rt.cachingDisabled) return run();
    const pending = this.inflight.get(key);
    if (pending) {
      // A collapsed request: it shares the first fetch's response, logged as a Hit (§2.2).
      this.#collapsedWaiting++;
      const shared = await pending.finally(() => this.#collapsedWaiting--);
      // A streamed object cannot be shared: this request reads it itself.
      if (shared.stream) return run();
      return { entry: shared.entry, result: shared.entry.hitResult === 'Error' ? 'Error' : 'Hit', fromCache: true };
    }
    return this.collapse(key, run);
  }

  private collapse(key: string, work: () => Promise<Outcome>): Promise<Outcome> {
    const p = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** An expired entry: conditional origin request; 304 -> RefreshHit (§2.4); errors may serve stale (§2.3, §9.6). */
  private async refresh(ctx: Ctx, cached: CacheEntry, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
    if (storeKey === undefined) return this.fetch(ctx, storeKey, customErrors);
    const now = this.clock();
    try {
      const r = await this.origin.revalidate(storeKey, cached.originEtag, ctx.requestId);
      if (r.notModified) {
        // The cached representation stays as it was (no recompression); the TTL starts again.
        const renewed: CacheEntry = { ...cached, storedAt: this.clock(), errorHoldUntil: undefined };
        const cc = r.head.cacheControl;
        if (cc !== (cached.headers['cache-control'] as string | undefined)) {
          renewed.headers = { ...cached.headers };
          if (cc === undefined) delete renewed.headers['cache-control'];
          else renewed.headers['cache-control'] = cc;
          renewed.prepared = undefined;
        }
        renewed.ttl = edgeTtl(ctx.rt.behavior.policy, cc, undefined, renewed.storedAt);
        Object.assign(renewed, staleWindows(cc));
        this.cache.set(ctx.key!, renewed);
        return { entry: renewed, result: 'RefreshHit', fromCache: true };
      }
      const response = r.response;
      if (response.stream) {
        this.cache.delete(ctx.key!);
        return this.streamOutcome(ctx, response, storeKey);
      }
      if (response.status >= 500 && mayServeStaleOnError(cached, now)) return this.holdStale(ctx, cached, response.status, now);
      // A 200 after revalidation is logged as a Miss (§2.4 gap, recommended).
      return await this.processOrigin(ctx, response, storeKey, customErrors);
    } catch (error) {
      if (!(error instanceof OriginError)) throw error;
      if (mayServeStaleOnError(cached, now)) return this.holdStale(ctx, cached, error.status, now);
      return this.originFailure(ctx, error, customErrors);
    }
  }

  /** §2.3 / §5.3: keep serving the expired copy for the error caching minimum TTL before asking again. */
  private holdStale(ctx: Ctx, cached: CacheEntry, status: number, now: number): Outcome {
    const hold = customErrorFor(this.options.site.errors, status)?.ttl ?? 10;
    const held: CacheEntry = { ...cached, errorHoldUntil: now + hold * 1000 };
    this.cache.set(ctx.key!, held);
    return { entry: held, result: 'Hit', fromCache: true };
  }

  private async fetch(ctx: Ctx, storeKey: string | undefined, customErrors: boolean): Promise<Outcome> {
    let response: OriginResponse;
    try {
      response = storeKey === undefined ? this.missing(ctx) : await this.origin.get(storeKey, ctx.requestId);
    } catch (error) {
      if (!(error instanceof OriginError)) throw error;
      return this.originFailure(ctx, error, customErrors);
    }
    if (response.stream) return this.streamOutcome(ctx, response, storeKey ?? '');
    return this.processOrigin(ctx, response, storeKey ?? '', customErrors);
  }

  private streamOutcome(ctx: Ctx, response: OriginResponse, storeKey: string): Outcome {
    const now = this.clock();
    const entry: CacheEntry = {
      objectPath: ctx.objectPath!,
      storeKey,
      status: 200,
      originStatus: 200,
      hitResult: 'Hit',
      headers: response.headers,
      body: Buffer.alloc(0),
      storedAt: now,
      ttl: 0,
      staleWhileRevalidate: 0,
      staleIfError: 0,
      maxTtl: 0,
      minTtl: 0,
    };
    return { entry, result: 'Miss', stream: response.stream };
  }

  /** A key that can never exist (traversal, reserved prefix) is answered as S3 answers a missing key. */
  private missing(ctx: Ctx): OriginResponse {
    return missingResponse(ctx.view.uri.slice(1), ctx.requestId, this.options.listBucket ?? false);
  }

  /** §9.6: origin unreachable (502) or too slow (504); custom error pages apply; cached for the error TTL. */
  private async originFailure(ctx: Ctx, error: OriginError, customErrors: boolean): Promise<Outcome> {
    const body = Buffer.from(cloudFrontErrorPage(error.status, error.status === 504 ? ERROR_DETAIL.timeout : ERROR_DETAIL.origin, ctx.requestId));
    const response: OriginResponse = { status: error.status, headers: { 'content-type': 'text/html', server: 'CloudFront' }, body };
    const outcome = await this.processOrigin(ctx, response, '', customErrors);
    return { ...outcome, detailed: error.status === 504 ? 'OriginReadError' : 'OriginConnectError' };
  }

  /** §0 step 10: TTL, custom errors, compression, store. */
  private async processOrigin(ctx: Ctx, response: OriginResponse, storeKey: string, customErrors: boolean): Promise<Outcome> {
    const rt = ctx.rt;
    const policy = rt.behavior.policy;
    const now = this.clock();
    const cc = response.headers['cache-control'] as string | undefined;
    const expires = response.headers.expires as string | undefined;

    if (response.status >= 400) {
      const custom = customErrors ? customErrorFor(this.options.site.errors, response.status) : undefined;
      const ttl = errorTtl(response.status, cc, expires, policy, custom?.ttl ?? 10, now);
      let status = response.status;
      let headers = response.headers;
      let body = response.body;
      if (custom?.page !== undefined) {
        // §5.3: the page is routed through the behavior matching its path and fetched from its origin.
        const page = await this.obtainPage(ctx, custom.page);
        if (page.entry.status < 400) {
          status = custom.responseStatus ?? response.status;
          headers = page.entry.headers;
          body = page.entry.body;
        } else {
          // The page itself failed: the viewer gets the status its origin returned (§5.1).
          status = page.entry.status;
          headers = page.entry.headers;
          body = page.entry.body;
        }
      } else {
        ({ headers, body } = await this.compressIfDue(ctx, status, headers, body));
      }
      const entry: CacheEntry = {
        objectPath: ctx.objectPath!,
        storeKey,
        status,
        originStatus: response.status,
        hitResult: 'Error',
        headers,
        body,
        storedAt: now,
        ttl,
        staleWhileRevalidate: 0,
        staleIfError: 0,
        maxTtl: ttl,
        minTtl: policy.minTtl,
      };
      if (ttl > 0 && !rt.cachingDisabled) this.cache.set(ctx.key!, entry);
      return { entry, result: 'Error' };
    }

    const ttl = edgeTtl(policy, cc, expires, now);
    let headers = response.headers;
    let body = response.body;
    ({ headers, body } = await this.compressIfDue(ctx, response.status, headers, body));
    const entry: CacheEntry = {
      objectPath: ctx.objectPath!,
      storeKey,
      status: response.status,
      originStatus: response.status,
      hitResult: 'Hit',
      headers,
      body,
      originEtag: response.etag,
      storedAt: now,
      ttl,
      ...staleWindows(cc),
      maxTtl: policy.maxTtl,
      minTtl: policy.minTtl,
    };
    if (ttl > 0 && !rt.cachingDisabled) this.cache.set(ctx.key!, entry);
    return { entry, result: 'Miss' };
  }

  /** Compresses an origin response once, before it is cached, when §3.1 says CloudFront would. */
  private async compressIfDue(ctx: Ctx, status: number, headers: HeaderMap, body: Buffer): Promise<{ headers: HeaderMap; body: Buffer }> {
    const coding = compressionFor({
      behaviorCompress: ctx.rt.behavior.compress,
      acceptEncodingKeyed: ctx.rt.acceptEncodingKeyed,
      coding: preferredCoding(ctx.ae.key),
      status,
      contentEncoding: headers['content-encoding'] as string | undefined,
      contentLength: body.length,
      contentType: headers['content-type'] as string | undefined,
      range: false,
    });
    return coding ? this.compress(headers, body, coding) : { headers, body };
  }

  private async compress(headers: HeaderMap, body: Buffer, coding: 'br' | 'gzip'): Promise<{ headers: HeaderMap; body: Buffer }> {
    const compressed = await compressBody(body, coding);
    const out: HeaderMap = { ...headers, 'content-encoding': coding };
    // §3.4 (recommended): Vary: Accept-Encoding on compressed responses.
    const vary = out.vary as string | undefined;
    if (!vary) out.vary = 'Accept-Encoding';
    else if (!/accept-encoding/i.test(vary)) out.vary = `${vary}, Accept-Encoding`;
    const etag = compressedEtag(out.etag as string | undefined);
    if (etag === undefined) delete out.etag;
    else out.etag = etag;
    return { headers: out, body: compressed };
  }

  /** The custom error page, through its own behavior, from cache or origin (§5.3). */
  private async obtainPage(ctx: Ctx, page: string): Promise<Outcome> {
    const rt = this.runtimes[this.table.resolve(page).index]!;
    const ae = normalizeAcceptEncoding(ctx.headers['accept-encoding'], rt.behavior.policy, ctx.req.httpVersion);
    const k = cacheKey({ behaviorIndex: rt.behavior.index, method: 'GET', uri: page, query: '', header: (n) => ctx.headers[n], acceptEncoding: ae.key }, rt.behavior.policy.cacheKey, rt.keyedHeaders);
    const pageCtx: Ctx = { ...ctx, rt, ae, key: k.key, objectPath: k.objectPath };
    const storeKey = storeKeyFor(page);
    return this.obtain(pageCtx, storeKey.ok ? storeKey.key : undefined, false);
  }

  // -------------------------------------------------------------------------------------------
  // Responses.

  private async serveEntry(ctx: Ctx, outcome: Outcome): Promise<{ status: number; bytes: number; extra: Partial<RequestRecord> }> {
    const { entry, result } = outcome;
    const { req, res, rt } = ctx;
    const method = ctx.view.method;
    const extra: Partial<RequestRecord> = { contentType: entry.headers['content-type'] as string | undefined };
    const age = outcome.fromCache ? String(ageSeconds(entry, this.clock())) : undefined;

    // Viewer conditional requests (§4.5).
    if (
      notModified({
        ifNoneMatch: ctx.headers['if-none-match'],
        ifModifiedSince: ctx.headers['if-modified-since'],
        etag: entry.headers.etag as string | undefined,
        lastModified: entry.headers['last-modified'] as string | undefined,
        status: entry.status,
        cookiesForwarded: rt.cookiesForwarded,
      })
    ) {
      const headers: HeaderMap = {};
      for (const name of ['etag', 'last-modified', 'cache-control', 'expires', 'vary', 'server']) {
        const v = entry.headers[name];
        if (v !== undefined) headers[name] = v;
      }
      const status = await this.responseStage(ctx, entry, 304, headers);
      const bytes = this.write(res, status.status, status.headers, undefined, result, ctx.requestId, age, rt, req, status.statusText, true);
      return { status: status.status, bytes, extra };
    }

    let status = entry.status;
    let body: Buffer | undefined = entry.body;
    let headers: HeaderMap = entry.headers;
    // Range requests (§4.7, §11 case 22).
    const rangeHeader = ctx.headers.range;
    if (rangeHeader !== undefined && entry.status === 200) {
      const decision = decideRange(rangeHeader, entry.body.length);
      if (decision.kind === 'unsatisfiable') {
        status = 416;
        headers = { 'content-range': `bytes */${entry.body.length}`, server: 'AmazonS3' };
        body = Buffer.alloc(0);
      } else if (decision.kind === 'partial') {
        status = 206;
        headers = { ...entry.headers };
        if (decision.ranges.length === 1) {
          const r = decision.ranges[0]!;
          headers['content-range'] = contentRange(r, entry.body.length);
          body = entry.body.subarray(r.start, r.end + 1);
          extra.rangeStart = r.start;
          extra.rangeEnd = r.end;
        } else {
          const mp = multipartBody(entry.body, decision.ranges, entry.headers['content-type'] as string | undefined, ctx.requestId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32));
          headers['content-type'] = mp.contentType;
          body = mp.body;
        }
      }
    }

    const plain = status === entry.status && !rt.viewerResponse && ctx.headers.origin === undefined && ctx.headers.pragma === undefined;
    if (plain && (entry.prepared || this.cache.get(ctx.key!) === entry)) {
      const prepared = entry.prepared ?? (entry.prepared = this.prepare(entry, rt, req));
      const list = prepared.slice();
      if (age !== undefined) list.push('age', age);
      list.push('x-cache', `${result} from cloudfront`, 'x-amz-cf-id', ctx.requestId);
      res.writeHead(status, list);
      res.end(method === 'HEAD' ? undefined : body);
      return { status, bytes: body.length + estimate(list), extra: { ...extra, contentLength: body.length } };
    }
    const staged = await this.responseStage(ctx, entry, status, { ...headers });
    const bytes = this.write(res, staged.status, staged.headers, method === 'HEAD' ? undefined : body, result, ctx.requestId, age, rt, req, staged.statusText, false, body.length);
    return { status: staged.status, bytes, extra: { ...extra, contentLength: body.length } };
  }

  /** A large object straight from the origin: conditional, one range, HEAD, or the whole stream. */
  private async serveStream(ctx: Ctx, outcome: Outcome, stream: { body: Readable; size: number }): Promise<{ status: number; bytes: number; extra: Partial<RequestRecord> }> {
    const { entry } = outcome;
    const { req, res, rt } = ctx;
    const extra: Partial<RequestRecord> = { contentType: entry.headers['content-type'] as string | undefined, contentLength: stream.size };
    const conditional = notModified({
      ifNoneMatch: ctx.headers['if-none-match'],
      ifModifiedSince: ctx.headers['if-modified-since'],
      etag: entry.headers.etag as string | undefined,
      lastModified: entry.headers['last-modified'] as string | undefined,
      status: 200,
      cookiesForwarded: rt.cookiesForwarded,
    });
    let status = 200;
    let headers: HeaderMap = { ...entry.headers };
    let body: Readable | undefined = stream.body;
    let length = stream.size;
    const decision = ctx.headers.range === undefined ? undefined : decideRange(ctx.headers.range, stream.size);
    if (conditional || ctx.view.method === 'HEAD' || decision?.kind === 'unsatisfiable' || (decision?.kind === 'partial' && decision.ranges.length === 1)) {
      stream.body.destroy();
      body = undefined;
    }
    if (conditional) status = 304;
    else if (decision?.kind === 'unsatisfiable') {
      status = 416;
      headers = { 'content-range': `bytes */${stream.size}`, server: 'AmazonS3' };
      length = 0;
    } else if (decision?.kind === 'partial' && decision.ranges.length === 1) {
      // One range of a large object is read from the origin as a range (§4.7). Several ranges of
      // an object too large to buffer are answered with the whole object.
      const r = decision.ranges[0]!;
      status = 206;
      headers['content-range'] = contentRange(r, stream.size);
      length = r.end - r.start + 1;
      if (ctx.view.method !== 'HEAD') body = await this.origin.getRange(entry.storeKey, r.start, r.end);
      extra.rangeStart = r.start;
      extra.rangeEnd = r.end;
    }
    const staged = await this.responseStage(ctx, entry, status, headers);
    const bytes = this.write(res, staged.status, staged.headers, undefined, outcome.result, ctx.requestId, undefined, rt, req, staged.statusText, status === 304, length, body);
    return { status: staged.status, bytes: bytes + (body ? length : 0), extra };
  }

  /** §0 steps 11-12: viewer-response function (not for origin status >= 400), then the headers policy (applied in `write`). */
  private async responseStage(ctx: Ctx, entry: CacheEntry, status: number, headers: HeaderMap): Promise<{ status: number; statusText?: string; headers: HeaderMap }> {
    const fn = ctx.rt.viewerResponse;
    if (!fn || entry.originStatus >= 400) return { status, headers };
    try {
      const out = await this.bridge().viewerResponse(fn, ctx.view, { status, headers });
      this.noteRun(ctx.record, 'viewer-response', fn, out.computeUtilization);
      return out;
    } catch (error) {
      this.noteRun(ctx.record, 'viewer-response', fn, undefined, error);
      if (error instanceof FunctionExecutionError || error instanceof FunctionValidationError) {
        return { status: error.status, headers: { 'content-type': 'text/html', server: 'CloudFront', 'x-edgeship-function-error': error.xCache } };
      }
      throw error;
    }
  }

  /** The flat header list of a plain hit: cached headers, policy applied, Content-Length, Via, POP. */
  private prepare(entry: CacheEntry, rt: BehaviorRuntime, req: IncomingMessage): string[] {
    const headers: HeaderMap = { ...entry.headers };
    rt.policy?.(headers, { method: req.method ?? 'GET', headers: {} });
    if (headers.server === undefined) headers.server = 'CloudFront';
    headers['content-length'] = String(entry.body.length);
    headers.via = this.via;
    headers['x-amz-cf-pop'] = LOCAL_POP;
    return flatten(headers);
  }

  /** Writes a response with the policy and CloudFront's headers; returns an estimate of bytes sent. */
  private write(
    res: ServerResponse,
    status: number,
    headers: HeaderMap,
    body: Buffer | undefined,
    result: ResultType,
    requestId: string,
    age: string | undefined,
    rt: BehaviorRuntime | undefined,
    req: IncomingMessage | undefined,
    statusText?: string,
    noBody = false,
    length?: number,
    stream?: Readable,
  ): number {
    const out: HeaderMap = { ...headers };
    const fnError = out['x-edgeship-function-error'] as string | undefined;
    delete out['x-edgeship-function-error'];
    // A viewer-response function that failed replaces the body with CloudFront's error page.
    const payload = fnError ? (body === undefined ? undefined : Buffer.from(cloudFrontErrorPage(status, ERROR_DETAIL.function, requestId))) : body;
    if (fnError) out['content-type'] = 'text/html';
    if (rt?.policy && req) rt.policy(out, { method: req.method ?? 'GET', headers: req.headers as Record<string, string | undefined> });
    if (out.server === undefined) out.server = 'CloudFront';
    if (!noBody) out['content-length'] = String(fnError ? (payload?.length ?? 0) : (length ?? body?.length ?? 0));
    out.via = this.via;
    out['x-cache'] = fnError ?? `${result} from cloudfront`;
    out['x-amz-cf-pop'] = LOCAL_POP;
    out['x-amz-cf-id'] = requestId;
    if (age !== undefined) out.age = age;
    const list = flatten(out);
    if (statusText) res.writeHead(status, statusText, list);
    else res.writeHead(status, list);
    if (stream && !fnError) {
      stream.on('error', (error) => res.destroy(error));
      stream.pipe(res);
      return estimate(list);
    }
    stream?.destroy();
    res.end(payload);
    return (payload?.length ?? 0) + estimate(list);
  }

  private sendFunctionError(res: ServerResponse, error: unknown, requestId: string, rt: BehaviorRuntime, req: IncomingMessage): { status: number; result: ResultType; bytes: number } {
    if (error instanceof FunctionValidationError || error instanceof FunctionExecutionError) {
      const result = error instanceof FunctionValidationError ? 'FunctionValidationError' : 'FunctionExecutionError';
      const body = Buffer.from(cloudFrontErrorPage(error.status, ERROR_DETAIL.function, requestId));
      const bytes = this.write(res, error.status, { 'content-type': 'text/html' }, body, result, requestId, undefined, rt, req);
      return { status: error.status, result, bytes };
    }
    const body = Buffer.from(cloudFrontErrorPage(503, ERROR_DETAIL.function, requestId));
    const bytes = this.write(res, 503, { 'content-type': 'text/html' }, body, 'FunctionExecutionError', requestId, undefined, rt, req);
    return { status: 503, result: 'FunctionExecutionError', bytes };
  }

  /** A response CloudFront generates itself (§4.1): its HTML error page. */
  sendGenerated(res: ServerResponse, status: number, detail: string, requestId: string, result: ResultType, close: boolean, rt?: BehaviorRuntime, req?: IncomingMessage): number {
    const body = Buffer.from(cloudFrontErrorPage(status, detail, requestId));
    if (close) res.shouldKeepAlive = false;
    const headers: HeaderMap = { 'content-type': 'text/html', server: 'CloudFront' };
    if (close) headers.connection = 'close';
    return this.write(res, status, headers, req?.method === 'HEAD' ? undefined : body, result, requestId, undefined, rt, req, STATUS_TEXT[status]);
  }
}

function joinHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function flatten(headers: HeaderMap): string[] {
  const list: string[] = [];
  for (const name in headers) {
    const v = headers[name]!;
    if (Array.isArray(v)) for (const one of v) list.push(name, one);
    else list.push(name, v);
  }
  return list;
}

function estimate(list: string[]): number {
  let n = 17;
  for (const s of list) n += s.length + 2;
  return n;
}
