/**
 * §0 steps 1-7: the viewer's request. Checks CloudFront makes before any function (size, path,
 * allowed methods, GET with a body), the viewer headers CloudFront adds (../viewer-headers.ts),
 * the viewer-request function (§7), and the default root object (§4.9), which CloudFront
 * applies after the function and only to exactly `/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap } from '../contracts.js';
import { ERROR_DETAIL } from '../errors.js';
import { bridgeOf, type RequestView } from '../function-bridge.js';
import { deliver, deliverFunctionError } from './delivery.js';
import { noteFunctionRun } from './record.js';
import type { ViewerConfig } from '../../config/edge-schema.js';
import { sendsViewerHeaders, withViewerHeaders } from '../viewer-headers.js';
import type { BehaviorRuntime, EdgeHandlerOptions, LogRequest, RequestRecord } from './types.js';

/** CloudFront's URL limit (§4.11). */
export const MAX_URL_BYTES = 8_192;

export interface Rejection {
  status: 400 | 403 | 413;
  detail: string;
  /** §9.5 field 29. */
  detailed: string;
  /** Close the connection after the answer. */
  close: boolean;
  /** §0 step 1: a request too large to parse is not written to the log. */
  logged: boolean;
  /** Rejected before the behavior is chosen (its headers policy does not apply). */
  beforeBehavior: boolean;
}

/** A URI (after the function) that is not a path or does not percent-decode (`/%E0%A4%A`): 400. */
export const BAD_OBJECT_KEY: Rejection = { status: 400, detail: ERROR_DETAIL.badRequest, detailed: 'InvalidRequest', close: false, logged: true, beforeBehavior: false };

/** The request's own faults, in §0's order (steps 1, 4, 5); undefined when it goes on. */
export function rejectRequest(url: string, method: string, contentLength: string | undefined, transferEncoding: string | undefined): Rejection | undefined {
  // §0 step 1 / §4.11: a URL over 8,192 bytes -> 413, connection closed, not logged.
  if (Buffer.byteLength(url) > MAX_URL_BYTES) return { status: 413, detail: ERROR_DETAIL.tooLarge, detailed: 'Error', close: true, logged: false, beforeBehavior: true };
  if (!url.startsWith('/')) return { status: 400, detail: ERROR_DETAIL.badRequest, detailed: 'InvalidRequest', close: false, logged: true, beforeBehavior: true };
  // §0 step 4: static distributions allow GET and HEAD (CDK's default ALLOW_GET_HEAD).
  if (method !== 'GET' && method !== 'HEAD') return { status: 403, detail: ERROR_DETAIL.method, detailed: 'InvalidRequestMethod', close: false, logged: true, beforeBehavior: false };
  // §0 step 5: GET with a body -> 403.
  if ((contentLength !== undefined && contentLength !== '0') || transferEncoding !== undefined) {
    return { status: 403, detail: ERROR_DETAIL.body, detailed: 'InvalidRequest', close: true, logged: true, beforeBehavior: false };
  }
  return undefined;
}

/**
 * The request as the behavior's viewer-request function and the cache see it: the viewer's,
 * with CloudFront's viewer headers made as the behavior's policy asks (viewer-headers.ts).
 */
export function viewerRequestView(req: IncomingMessage, requestId: string, rt: Pick<BehaviorRuntime, 'viewerHeaders'>, viewer: ViewerConfig): RequestView {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const clientIp = req.socket.remoteAddress ?? '127.0.0.1';
  const rewrite = rt.viewerHeaders.length > 0 || sendsViewerHeaders(req.rawHeaders);
  const connection = { ip: clientIp, port: req.socket.remotePort ?? 0, httpVersion: req.httpVersion };
  return {
    method: req.method ?? 'GET',
    uri: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    hasQuery: q !== -1,
    rawHeaders: rewrite ? withViewerHeaders(req.rawHeaders, rt.viewerHeaders, viewer, connection) : req.rawHeaders,
    clientIp,
    requestId,
  };
}

export interface ViewerRequestStage {
  options: Pick<EdgeHandlerOptions, 'bridge' | 'onFunctionError'>;
  via: string;
  req: IncomingMessage;
  res: ServerResponse;
  rt: BehaviorRuntime;
  record: Partial<RequestRecord>;
  log: LogRequest;
}

/**
 * §0 step 6: the behavior's viewer-request function. Returns the request to go on with, or
 * undefined when the viewer has been answered (a generated response, or the function failed).
 */
export async function runViewerRequestFunction(stage: ViewerRequestStage, view: RequestView): Promise<RequestView | undefined> {
  const fn = stage.rt.viewerRequest;
  if (!fn) return view;
  const { res, req, rt, record, log, via } = stage;
  const onFunctionError = stage.options.onFunctionError;
  try {
    const outcome = await bridgeOf(stage.options).viewerRequest(fn, view);
    noteFunctionRun(record, onFunctionError, { eventType: 'viewer-request', fn, computeUtilization: outcome.computeUtilization });
    if (!('response' in outcome)) return outcome.request;
    const r = outcome.response;
    const headers: HeaderMap = { ...r.headers };
    if (headers.server === undefined) headers.server = 'CloudFront';
    const body = view.method === 'HEAD' ? undefined : r.body;
    const sent = deliver(res, via, { status: r.status, statusText: r.statusText, headers, body, result: 'FunctionGeneratedResponse', requestId: view.requestId, rt, req });
    log(r.status, 'FunctionGeneratedResponse', 'FunctionGeneratedResponse', sent);
  } catch (error) {
    noteFunctionRun(record, onFunctionError, { eventType: 'viewer-request', fn, error });
    const sent = deliverFunctionError(res, via, error, view.requestId, rt, req);
    log(sent.status, sent.result, sent.result, sent.bytes);
  }
  return undefined;
}

/** §0 step 7 / §4.9: `/` becomes the default root object, after the function. */
export function withDefaultRoot(view: RequestView, defaultRoot: string | undefined): RequestView {
  return view.uri === '/' && defaultRoot ? { ...view, uri: defaultRoot } : view;
}

/** The default root object as a percent-encoded path (`docs/index.html` -> `/docs/index.html`). */
export function defaultRootPath(defaultRootObject: string | undefined): string | undefined {
  return defaultRootObject ? `/${defaultRootObject.split('/').map(encodeURIComponent).join('/')}` : undefined;
}
