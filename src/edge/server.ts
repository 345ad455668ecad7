/**
 * The local edge's request handler: CloudFront's stages in its order (spec/cloudfront.md §0),
 * one module each under ./pipeline/:
 *
 *   viewer request (checks, function, default root)  pipeline/viewer-request.ts
 *   cache key and lookup                              pipeline/cache-lookup.ts
 *   origin request, collapsed                         pipeline/origin-request.ts
 *   origin                                            pipeline/origin-fetch.ts
 *   origin response, compression, cache store         pipeline/origin-response.ts, compress.ts
 *   viewer response (304, range, function)            pipeline/viewer-response.ts, serve.ts
 *   response headers policy, CloudFront's headers     pipeline/response-headers.ts
 *   delivery and log                                  pipeline/delivery.ts, record.ts
 *
 * A plain cache hit takes pipeline/plain-hit.ts: a map lookup plus one write of precomputed
 * headers and a buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileTable, type BehaviorTable } from '../behavior/table.js';
import { DEFAULT_VIEWER, type ViewerConfig } from '../config/edge-schema.js';
import { normalizeAcceptEncoding } from './accept-encoding.js';
import { ERROR_DETAIL } from './errors.js';
import { headerLookup, type RequestView } from './function-bridge.js';
import { requestIdSource, viaHeader } from './ids.js';
import { compileInvalidation, validateInvalidation } from './invalidation.js';
import { MemoryCache } from './memory-cache.js';
import { storeKeyFor } from './object-key.js';
import { Origin } from './origin.js';
import { MAX_COMPRESS_BYTES } from './compression.js';
import { Behaviors } from './pipeline/behaviors.js';
import { CacheLookup, requestKey } from './pipeline/cache-lookup.js';
import { deliverGenerated } from './pipeline/delivery.js';
import { Collapser } from './pipeline/origin-request.js';
import { PlainHits } from './pipeline/plain-hit.js';
import { requestLog } from './pipeline/record.js';
import { serveEntry, serveStream, type ServeDeps } from './pipeline/serve.js';
import type { BehaviorRuntime, Ctx, EdgeHandlerOptions, LogRequest, OriginDeps, RequestRecord } from './pipeline/types.js';
import { BAD_OBJECT_KEY, defaultRootPath, rejectRequest, runViewerRequestFunction, viewerRequestView, withDefaultRoot, type Rejection } from './pipeline/viewer-request.js';

export type { EdgeHandlerOptions, FunctionRunRecord, RequestRecord, ResultType } from './pipeline/types.js';
export { MAX_URL_BYTES } from './pipeline/viewer-request.js';

export const DEFAULT_CACHE_SIZE = 256 * 1024 * 1024;

export class EdgeHandler {
  readonly table: BehaviorTable;
  readonly cache: MemoryCache;
  private readonly behaviors: Behaviors;
  private readonly collapser = new Collapser();
  private readonly lookup: CacheLookup;
  private readonly hits: PlainHits;
  private readonly serving: ServeDeps;
  private readonly nextId = requestIdSource();
  private readonly via = viaHeader();
  private readonly defaultRoot: string | undefined;
  private readonly viewer: ViewerConfig;

  constructor(private readonly options: EdgeHandlerOptions) {
    this.table = compileTable(options.site);
    const clock = options.clock ?? Date.now;
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.cache = new MemoryCache(cacheSize);
    // A request never buffers more than max(10 MB, a eighth of the cache): larger objects stream through.
    const maxBufferBytes = Math.max(MAX_COMPRESS_BYTES, Math.floor(cacheSize / 8));
    const origin = new Origin({ store: options.store, listBucket: options.listBucket, timeoutMs: options.originTimeoutMs, maxBufferBytes });
    this.defaultRoot = defaultRootPath(options.site.defaultRootObject);
    this.viewer = options.site.edge?.viewer ?? DEFAULT_VIEWER;
    this.behaviors = new Behaviors(this.table, options.functions, options.headersPolicies);
    const deps: OriginDeps = {
      errors: options.site.errors,
      listBucket: options.listBucket ?? false,
      cache: this.cache,
      origin,
      clock,
      via: this.via,
      errorPage: (ctx, page) => this.lookup.errorPage(ctx, page),
    };
    this.lookup = new CacheLookup(deps, this.collapser, this.behaviors);
    this.hits = new PlainHits({ behaviors: this.behaviors, cache: this.cache, clock, nextId: this.nextId, defaultRoot: this.defaultRoot });
    this.serving = { options, origin, clock, via: this.via };
  }

  /** Requests waiting on another request's origin fetch for the same cache key right now (request collapsing, §2.2). */
  get collapsedWaiting(): number {
    return this.collapser.waiting;
  }

  /** Removes cached objects by CloudFront's invalidation rules (§8.1); returns how many went. */
  invalidate(paths: readonly string[]): number {
    validateInvalidation(paths);
    return this.cache.invalidate(compileInvalidation(paths));
  }

  /** Resolves when every background refresh has finished (for tests; the server never waits). */
  settle(): Promise<void> {
    return this.collapser.settle();
  }

  /** The request listener. Never throws; every failure becomes a CloudFront-shaped response. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Unlogged plain hits take the hit path; with an access log every request is recorded in full.
    if (!this.options.onRequest && this.hits.tryServe(req, res)) return;
    this.handleFull(req, res).catch((error: unknown) => {
      if (!res.headersSent) deliverGenerated(res, this.via, { status: 502, detail: ERROR_DETAIL.origin, requestId: this.nextId(), result: 'Error', close: true });
      else res.destroy(error as Error);
    });
  };

  /** §0 in order: viewer request, cache lookup, origin (request, response, store), viewer response, delivery. */
  private async handleFull(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.nextId();
    const record: Partial<RequestRecord> = {};
    const log = requestLog(this.options.onRequest, req, requestId, record);
    const url = req.url ?? '/';
    const rejection = rejectRequest(url, req.method ?? 'GET', req.headers['content-length'], req.headers['transfer-encoding']);
    if (rejection) return this.reject(req, res, requestId, rejection, rejection.beforeBehavior ? undefined : this.behaviors.forPath(pathOf(url)), log);
    // §0 step 2: the behavior comes from the viewer's path, before any function runs (§1.2).
    const rt = this.behaviors.forPath(pathOf(url));
    const stage = { options: this.options, via: this.via, req, res, rt, record, log };
    const afterFunction = await runViewerRequestFunction(stage, viewerRequestView(req, requestId, rt, this.viewer));
    if (!afterFunction) return;
    const ctx = this.requestContext(req, res, rt, withDefaultRoot(afterFunction, this.defaultRoot), record);
    const storeKey = storeKeyFor(ctx.view.uri);
    if (!storeKey.ok && storeKey.reason === 'bad-request') return this.reject(req, res, requestId, BAD_OBJECT_KEY, rt, log);
    const outcome = await this.lookup.obtain(ctx, storeKey.ok ? storeKey.key : undefined, true);
    const served = outcome.stream ? await serveStream(this.serving, ctx, outcome, outcome.stream) : await serveEntry(this.serving, ctx, outcome);
    log(served.status, outcome.result, outcome.detailed ?? outcome.result, served.bytes, served.extra);
  }

  /** §0 step 8: the request's headers, normalized Accept-Encoding and cache key on its behavior. */
  private requestContext(req: IncomingMessage, res: ServerResponse, rt: BehaviorRuntime, view: RequestView, record: Partial<RequestRecord>): Ctx {
    const headers = headerLookup(view.rawHeaders);
    // Ranges are served from the identity representation: a 206 is never compressed (§3.1 rule 7).
    const ae = headers.range !== undefined ? normalizeAcceptEncoding(undefined, rt.behavior.policy) : normalizeAcceptEncoding(headers['accept-encoding'], rt.behavior.policy, req.httpVersion);
    const { key, objectPath } = requestKey(rt, view.method, view.uri, view.query, (n) => headers[n], ae);
    return { req, res, requestId: view.requestId, rt, view, headers, ae, key, objectPath, record };
  }

  private reject(req: IncomingMessage, res: ServerResponse, requestId: string, r: Rejection, rt: BehaviorRuntime | undefined, log: LogRequest): void {
    const withBehavior = r.beforeBehavior ? {} : { rt, req };
    const sent = deliverGenerated(res, this.via, { status: r.status, detail: r.detail, requestId, result: 'Error', close: r.close, ...withBehavior });
    if (r.logged) log(r.status, 'Error', r.detailed, sent);
    // A refused method may have sent a body: read it away so the connection stays usable.
    if (r.detailed === 'InvalidRequestMethod') req.resume();
  }
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
