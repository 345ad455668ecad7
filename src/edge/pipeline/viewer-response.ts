/**
 * §0 step 11: the response on its way to the viewer: a 304 for a matching conditional request
 * (§4.5), the range asked for (§4.7), and the viewer-response function (§7), which does not run
 * when the origin's status was 400 or more.
 */
import { FunctionExecutionError, FunctionValidationError, type HeaderMap } from '../contracts.js';
import { notModified } from '../conditional.js';
import { bridgeOf } from '../function-bridge.js';
import type { CacheEntry } from '../memory-cache.js';
import { contentRange, decideRange, multipartBody } from '../range.js';
import { FUNCTION_ERROR_HEADER } from './delivery.js';
import { noteFunctionRun } from './record.js';
import type { Ctx, EdgeHandlerOptions } from './types.js';

/** Headers a 304 carries from the entry (§4.5). */
const NOT_MODIFIED_HEADERS = ['etag', 'last-modified', 'cache-control', 'expires', 'vary', 'server'];

/** §4.5: whether the viewer's validators match the entry (then it gets a 304). */
export function viewerNotModified(headers: Record<string, string>, entryHeaders: HeaderMap, status: number, cookiesForwarded: boolean): boolean {
  return notModified({
    ifNoneMatch: headers['if-none-match'],
    ifModifiedSince: headers['if-modified-since'],
    etag: entryHeaders.etag as string | undefined,
    lastModified: entryHeaders['last-modified'] as string | undefined,
    status,
    cookiesForwarded,
  });
}

/** The headers of a 304 for an entry. */
export function notModifiedHeaders(entryHeaders: HeaderMap): HeaderMap {
  const headers: HeaderMap = {};
  for (const name of NOT_MODIFIED_HEADERS) {
    const v = entryHeaders[name];
    if (v !== undefined) headers[name] = v;
  }
  return headers;
}

export interface Shaped {
  status: number;
  headers: HeaderMap;
  body: Buffer;
  range?: { start: number; end: number };
}

/** §4.7, §11 case 22: the part of a cached 200 a `Range` header asks for (206, 416, or the whole). */
export function shapeRange(entry: Pick<CacheEntry, 'status' | 'headers' | 'body'>, rangeHeader: string | undefined, boundarySeed: string): Shaped {
  const whole: Shaped = { status: entry.status, headers: entry.headers, body: entry.body };
  if (rangeHeader === undefined || entry.status !== 200) return whole;
  const size = entry.body.length;
  const decision = decideRange(rangeHeader, size);
  if (decision.kind === 'unsatisfiable') return { status: 416, headers: { 'content-range': `bytes */${size}`, server: 'AmazonS3' }, body: Buffer.alloc(0) };
  if (decision.kind !== 'partial') return whole;
  const headers: HeaderMap = { ...entry.headers };
  if (decision.ranges.length === 1) {
    const r = decision.ranges[0]!;
    headers['content-range'] = contentRange(r, size);
    return { status: 206, headers, body: entry.body.subarray(r.start, r.end + 1), range: { start: r.start, end: r.end } };
  }
  const mp = multipartBody(entry.body, decision.ranges, entry.headers['content-type'] as string | undefined, boundarySeed.replace(/[^A-Za-z0-9]/g, '').slice(0, 32));
  headers['content-type'] = mp.contentType;
  return { status: 206, headers, body: mp.body };
}

export interface StagedResponse {
  status: number;
  statusText?: string;
  headers: HeaderMap;
}

/** §0 step 11: the viewer-response function (not for origin status >= 400, §7.2); a failure marks the response for CloudFront's error page. */
export async function runViewerResponseFunction(
  options: Pick<EdgeHandlerOptions, 'bridge' | 'onFunctionError'>,
  ctx: Pick<Ctx, 'rt' | 'view' | 'record'>,
  originStatus: number,
  response: { status: number; headers: HeaderMap },
): Promise<StagedResponse> {
  const fn = ctx.rt.viewerResponse;
  if (!fn || originStatus >= 400) return response;
  try {
    const out = await bridgeOf(options).viewerResponse(fn, ctx.view, response);
    noteFunctionRun(ctx.record, options.onFunctionError, { eventType: 'viewer-response', fn, computeUtilization: out.computeUtilization });
    return out;
  } catch (error) {
    noteFunctionRun(ctx.record, options.onFunctionError, { eventType: 'viewer-response', fn, error });
    if (error instanceof FunctionExecutionError || error instanceof FunctionValidationError) {
      return { status: error.status, headers: { 'content-type': 'text/html', server: 'CloudFront', [FUNCTION_ERROR_HEADER]: error.xCache } };
    }
    throw error;
  }
}
