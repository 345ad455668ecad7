/**
 * §0 step 13: writing the response to the viewer. Every response goes out through `deliver`
 * (headers policy, CloudFront's headers, body or stream); a plain hit through `deliverHit`, one
 * `writeHead` of the entry's precomputed header list and its buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { FunctionExecutionError, FunctionValidationError, type HeaderMap } from '../contracts.js';
import { cloudFrontErrorPage, ERROR_DETAIL, STATUS_TEXT } from '../errors.js';
import { applyHeadersPolicy, flattenHeaders, HIT_SLOTS, stampCloudFrontHeaders } from './response-headers.js';
import type { BehaviorRuntime, ResultType } from './types.js';

/** Marks a response whose viewer-response function failed: delivery sends CloudFront's error page instead. */
export const FUNCTION_ERROR_HEADER = 'x-edgeship-function-error';

export interface Reply {
  status: number;
  statusText?: string;
  headers: HeaderMap;
  body?: Buffer;
  result: ResultType;
  requestId: string;
  age?: string;
  /** The behavior and request, for the headers policy; absent before a behavior is known. */
  rt?: BehaviorRuntime;
  req?: IncomingMessage;
  /** A 304: no Content-Length. */
  noBody?: boolean;
  /** Content-Length when the body is not sent (HEAD) or streamed. */
  length?: number;
  stream?: Readable;
}

/** Writes a response with the policy and CloudFront's headers; returns an estimate of the bytes sent. */
export function deliver(res: ServerResponse, via: string, reply: Reply): number {
  const out: HeaderMap = { ...reply.headers };
  const fnError = out[FUNCTION_ERROR_HEADER] as string | undefined;
  delete out[FUNCTION_ERROR_HEADER];
  // A viewer-response function that failed replaces the body with CloudFront's error page.
  const body = reply.body;
  const payload = fnError && body !== undefined ? Buffer.from(cloudFrontErrorPage(reply.status, ERROR_DETAIL.function, reply.requestId)) : body;
  if (fnError) out['content-type'] = 'text/html';
  applyHeadersPolicy(out, reply.rt, reply.req);
  const contentLength = reply.noBody ? undefined : fnError ? (payload?.length ?? 0) : (reply.length ?? body?.length ?? 0);
  stampCloudFrontHeaders(out, { via, xCache: fnError ?? `${reply.result} from cloudfront`, requestId: reply.requestId, age: reply.age, contentLength });
  const list = flattenHeaders(out);
  if (reply.statusText) res.writeHead(reply.status, reply.statusText, list);
  else res.writeHead(reply.status, list);
  const stream = reply.stream;
  if (stream && !fnError) {
    stream.on('error', (error) => res.destroy(error));
    stream.pipe(res);
    return headerBytes(list);
  }
  stream?.destroy();
  res.end(payload);
  return (payload?.length ?? 0) + headerBytes(list);
}

/**
 * A plain hit: the entry's prepared list with Age, X-Cache and the id filled in, then its buffer
 * (a response not from the cache has no Age: a copy without it). Returns the header list written.
 */
export function deliverHit(res: ServerResponse, status: number, prepared: string[], xCache: string, requestId: string, age: string | undefined, body: Buffer | undefined): string[] {
  let list = prepared;
  const n = list.length;
  if (age === undefined) {
    list = list.slice(0, n - HIT_SLOTS);
    list.push('x-cache', xCache, 'x-amz-cf-id', requestId);
  } else {
    list[n - 5] = age;
    list[n - 3] = xCache;
    list[n - 1] = requestId;
  }
  res.writeHead(status, list);
  res.end(body);
  return list;
}

/** A response CloudFront generates itself (§4.1): its HTML error page. */
export function deliverGenerated(res: ServerResponse, via: string, g: { status: number; detail: string; requestId: string; result: ResultType; close: boolean; rt?: BehaviorRuntime; req?: IncomingMessage }): number {
  const body = Buffer.from(cloudFrontErrorPage(g.status, g.detail, g.requestId));
  if (g.close) res.shouldKeepAlive = false;
  const headers: HeaderMap = { 'content-type': 'text/html', server: 'CloudFront' };
  if (g.close) headers.connection = 'close';
  const head = g.req?.method === 'HEAD';
  return deliver(res, via, { status: g.status, statusText: STATUS_TEXT[g.status], headers, body: head ? undefined : body, result: g.result, requestId: g.requestId, rt: g.rt, req: g.req });
}

/** A viewer-request function that failed (§7.7): 503 FunctionExecutionError or 502 FunctionValidationError. */
export function deliverFunctionError(res: ServerResponse, via: string, error: unknown, requestId: string, rt: BehaviorRuntime, req: IncomingMessage): { status: number; result: ResultType; bytes: number } {
  const known = error instanceof FunctionValidationError || error instanceof FunctionExecutionError ? error : undefined;
  const status = known?.status ?? 503;
  const result: ResultType = error instanceof FunctionValidationError ? 'FunctionValidationError' : 'FunctionExecutionError';
  const body = Buffer.from(cloudFrontErrorPage(status, ERROR_DETAIL.function, requestId));
  const bytes = deliver(res, via, { status, headers: { 'content-type': 'text/html' }, body, result, requestId, rt, req });
  return { status, result, bytes };
}

/** Bytes of a status line and headers, for the log's `sc-bytes` (§9.5). */
export function headerBytes(list: readonly string[]): number {
  let n = 17;
  for (const s of list) n += s.length + 2;
  return n;
}
