/**
 * Contracts between the local edge's parts and the rest of edgeship. The server (src/edge),
 * the CloudFront Functions runtime (src/edge/functions), the response-headers policy, the
 * access log and deploy's local invalidation all code against these types.
 */
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// CloudFront Functions event shape, runtime cloudfront-js-2.0 (spec/cloudfront.md §7.3).

export interface CfValue {
  value: string;
  /** Present when the header / query parameter / cookie occurred more than once. */
  multiValue?: { value: string }[];
}

/** Header names are lower-case. */
export type CfHeaders = Record<string, CfValue>;

export interface CfRequest {
  method: string;
  uri: string;
  /** `{}` when the request has no query string (§11 case 25). */
  querystring: Record<string, CfValue>;
  headers: CfHeaders;
  cookies: Record<string, CfValue>;
}

export interface CfSetCookie {
  value: string;
  attributes?: string;
  multiValue?: { value: string; attributes?: string }[];
}

export interface CfResponse {
  statusCode: number;
  statusDescription?: string;
  headers: CfHeaders;
  cookies: Record<string, CfSetCookie>;
  /** Only on responses a viewer-request function generates. */
  body?: string | { encoding: 'text' | 'base64'; data: string };
}

export interface CfEvent {
  version: '1.0';
  context: {
    distributionDomainName: string;
    distributionId: string;
    eventType: 'viewer-request' | 'viewer-response';
    requestId: string;
  };
  viewer: { ip: string };
  request: CfRequest;
  response?: CfResponse;
}

/** What a viewer-request function returned: the (possibly changed) request, or a response sent at once. */
export type ViewerRequestResult = { request: CfRequest } | { response: CfResponse };

/**
 * One run of a function, in the four parts `aws cloudfront test-function` reports
 * (TestResult: FunctionOutput, FunctionExecutionLogs, FunctionErrorMessage, ComputeUtilization).
 */
export interface FunctionInvocation {
  eventType: 'viewer-request' | 'viewer-response';
  /** What the function returned, validated: the request to go on with, or a response. Absent on error. */
  output?: ViewerRequestResult;
  /** Why the run failed (§7.7). */
  error?: FunctionExecutionError | FunctionValidationError;
  /** `console.log` lines of the run (10 KB at most, §7.5). */
  logs: string[];
  /** The function's own run time as a percentage of the time CloudFront allows (§7.5); over 100 fails. */
  computeUtilization: number;
}

/** One CloudFront Functions file, loaded once and run per request in a sandbox. */
export interface EdgeFunction {
  readonly name: string;
  readonly file: string;
  /** Runs the function on `event` and reports the run; never throws a `FunctionRunError` (it is in `error`). */
  invoke(eventType: 'viewer-request' | 'viewer-response', event: CfEvent): Promise<FunctionInvocation>;
  /** `invoke` that throws the run's error. */
  runViewerRequest(event: CfEvent): Promise<ViewerRequestResult>;
  runViewerResponse(event: CfEvent): Promise<CfResponse>;
}

/**
 * Errors a function run ends with (§7.7). The server maps `FunctionExecutionError` to 503 and
 * `FunctionValidationError` to 502, both with `X-Cache: <Kind> from cloudfront`.
 */
abstract class FunctionRunError extends Error {
  abstract readonly status: 502 | 503;
  /** Compute utilization of the failed run, when it ran (§7.5). */
  readonly computeUtilization: number | undefined;
  constructor(message: string, readonly functionName: string, options?: { cause?: unknown; computeUtilization?: number }) {
    super(message, options);
    this.name = new.target.name;
    this.computeUtilization = options?.computeUtilization;
  }
  /** `X-Cache` of the response: `<ErrorName> from cloudfront`. */
  get xCache(): string {
    return `${this.name} from cloudfront`;
  }
}

export class FunctionExecutionError extends FunctionRunError {
  readonly status = 503;
}

export class FunctionValidationError extends FunctionRunError {
  readonly status = 502;
}

// ---------------------------------------------------------------------------------------------
// Response headers: a plain map of lower-case header names, as node:http sets them.

export type HeaderMap = Record<string, string | string[]>;

/** What a compiled response-headers policy needs to know about the request (CORS, §6.4). */
export interface PolicyRequest {
  method: string;
  headers: Record<string, string | undefined>;
}

/** A response-headers policy compiled once at start-up; applied per response, mutating `headers` (§6). */
export type ApplyHeadersPolicy = (headers: HeaderMap, request: PolicyRequest) => void;

// ---------------------------------------------------------------------------------------------
// Local invalidation: how `edgeship deploy` / `edgeship invalidate` reach a running edge.

/** Written by a running edge at `<rootDir>/.edgeship/edge.json`; removed when it stops. */
export interface EdgeDiscovery {
  pid: number;
  /** Viewer URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Admin URL, always on 127.0.0.1, e.g. http://127.0.0.1:8081 */
  adminUrl: string;
  /** The store the edge serves, as `ObjectStore.location`. */
  storeLocation: string;
  /** File holding the bearer token (mode 0600). */
  tokenFile: string;
}

/**
 * `POST {adminUrl}/invalidate` with `authorization: Bearer <token>` and the JSON body below
 * answers 200 `{ id, invalidated }` (paths checked by CloudFront's rules, §8.1; a bad path
 * answers 400 `{ error }`). Every invalidation, delivered or not, is also appended as one JSON
 * line to `<rootDir>/.edgeship/invalidations.jsonl`.
 */
export interface InvalidationRequest {
  paths: string[];
  callerReference?: string;
}

export function edgeStateDir(rootDir: string): string {
  return path.join(rootDir, '.edgeship');
}
export const EDGE_DISCOVERY_FILE = 'edge.json';
/**
 * One registration per running edge, `<pid>-<admin port>.json` beside its own token file
 * `<pid>-<admin port>.token` (0600): deploy and invalidate tell every live edge and remove the
 * registrations of edges that no longer run. `edge.json` names the edge started last (audit).
 */
export const EDGE_REGISTRY_DIR = 'edges';
export const EDGE_TOKEN_FILE = 'edge-token';
export const INVALIDATION_LOG_FILE = 'invalidations.jsonl';

/** Keys under this prefix belong to edgeship (the deploy manifest); never site content, never served. */
export const RESERVED_PREFIX = '.edgeship/';
