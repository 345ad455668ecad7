/**
 * What the stages of the local edge's request pipeline share: the options the handler is built
 * with, the per-behavior runtime, one request's context and the outcome of the cache and origin
 * stages. Types only, so every stage imports them without importing another stage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { CompiledBehavior } from '../../behavior/table.js';
import type { SiteModel } from '../../config/model.js';
import type { ObjectStore } from '../../store/types.js';
import type { NormalizedEncoding } from '../accept-encoding.js';
import type { ApplyHeadersPolicy, EdgeFunction, FunctionExecutionError, FunctionValidationError } from '../contracts.js';
import type { FunctionBridge, RequestView } from '../function-bridge.js';
import type { CacheEntry, MemoryCache } from '../memory-cache.js';
import type { Origin } from '../origin.js';

/** Log result types (§9.5 field 14). */
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

/** A behavior with what the pipeline derives from it once, at start-up. */
export interface BehaviorRuntime {
  behavior: CompiledBehavior;
  keyedHeaders: string[];
  /** Accept-Encoding listed among the key headers: CloudFront never compresses then (§2.6). */
  acceptEncodingKeyed: boolean;
  cookiesForwarded: boolean;
  /** CachingDisabled-like: nothing stored, no collapsing (§2.2, §2.7). */
  cachingDisabled: boolean;
  /** CloudFront's viewer headers the behavior's cache or origin request policy names: the edge adds them (viewer-headers.ts). */
  viewerHeaders: string[];
  policy?: ApplyHeadersPolicy;
  viewerRequest?: EdgeFunction;
  viewerResponse?: EdgeFunction;
}

/** What the cache and origin stages answer a request with. */
export interface Outcome {
  entry: CacheEntry;
  result: ResultType;
  detailed?: string;
  /** Served from the cache (then the response carries `Age`, §4.1). */
  fromCache?: boolean;
  /** An object too large to buffer, streamed from the origin (never cached, never collapsed). */
  stream?: { body: Readable; size: number };
}

/** Writes the request's access-log record (a no-op without `onRequest`). */
export type LogRequest = (status: number, resultType: ResultType, detailed: string, bytesSent: number, extra?: Partial<RequestRecord>) => void;

/** One request as it moves through the stages. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  rt: BehaviorRuntime;
  /** The request after the viewer-request function and the default root object. */
  view: RequestView;
  /** Lower-case header lookup of `view`. */
  headers: Record<string, string>;
  ae: NormalizedEncoding;
  key: string;
  objectPath: string;
  /** Fields the stages add to the log record (function runs). */
  record: Partial<RequestRecord>;
}

/** A response the delivery stage wrote: status, bytes on the wire and log fields. */
export interface Served {
  status: number;
  bytes: number;
  extra: Partial<RequestRecord>;
}

/** What the cache and origin stages work with; the handler builds it once. */
export interface OriginDeps {
  errors: SiteModel['errors'];
  listBucket: boolean;
  cache: MemoryCache;
  origin: Origin;
  clock: () => number;
  via: string;
  /** A custom error page through its own behavior, from cache or origin (§5.3); wired by the handler. */
  errorPage(ctx: Ctx, page: string): Promise<Outcome>;
}
