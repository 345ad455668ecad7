/**
 * §0 steps 12-13: the behavior's response headers policy (§6, after the viewer-response
 * function, so its overrides show in the final response), then the headers CloudFront adds to
 * every response (§4.1). Kept apart from delivery so other header sources (a site's own header
 * rules) plug in here.
 */
import type { IncomingMessage } from 'node:http';
import type { HeaderMap } from '../contracts.js';
import { LOCAL_POP } from '../ids.js';
import type { CacheEntry } from '../memory-cache.js';
import type { BehaviorRuntime } from './types.js';

/** Applies the behavior's headers policy in place; the request's headers decide CORS (§6.4). */
export function applyHeadersPolicy(headers: HeaderMap, rt: BehaviorRuntime | undefined, req: IncomingMessage | undefined): void {
  if (rt?.policy && req) rt.policy(headers, { method: req.method ?? 'GET', headers: req.headers as Record<string, string | undefined> });
}

export interface EdgeStamp {
  via: string;
  /** `X-Cache` (§4.2). */
  xCache: string;
  requestId: string;
  /** Seconds in the cache, on hits only (§4.1). */
  age?: string;
  /** `Content-Length`, or undefined when the response has none (304). */
  contentLength?: number;
}

/** CloudFront's own headers on a response (§4.1): Server when the origin sent none, Via, X-Cache, POP, id, Age. */
export function stampCloudFrontHeaders(headers: HeaderMap, stamp: EdgeStamp): void {
  if (headers.server === undefined) headers.server = 'CloudFront';
  if (stamp.contentLength !== undefined) headers['content-length'] = String(stamp.contentLength);
  headers.via = stamp.via;
  headers['x-cache'] = stamp.xCache;
  headers['x-amz-cf-pop'] = LOCAL_POP;
  headers['x-amz-cf-id'] = stamp.requestId;
  if (stamp.age !== undefined) headers.age = stamp.age;
}

/** Entries at the end of a prepared list that each hit fills in: Age, X-Cache and X-Amz-Cf-Id values. */
export const HIT_SLOTS = 6;

/**
 * The flat header list of a plain hit, built once when the entry is stored: cached headers, the
 * policy applied as for a request without CORS headers, Content-Length, Via and the POP, then
 * the `HIT_SLOTS` a hit fills in place (`writeHead` reads the list before it returns, so one
 * list serves every hit without a copy).
 */
export function preparedHitHeaders(entry: Pick<CacheEntry, 'headers' | 'body'>, rt: BehaviorRuntime, via: string): string[] {
  const headers: HeaderMap = { ...entry.headers };
  rt.policy?.(headers, { method: 'GET', headers: {} });
  if (headers.server === undefined) headers.server = 'CloudFront';
  headers['content-length'] = String(entry.body.length);
  headers.via = via;
  headers['x-amz-cf-pop'] = LOCAL_POP;
  const list = flattenHeaders(headers);
  list.push('age', '0', 'x-cache', '', 'x-amz-cf-id', '');
  return list;
}

/** `{ name: value }` -> `[name, value, ...]` as `writeHead` takes it; a list value becomes several lines. */
export function flattenHeaders(headers: HeaderMap): string[] {
  const list: string[] = [];
  for (const name in headers) {
    const v = headers[name]!;
    if (Array.isArray(v)) for (const one of v) list.push(name, one);
    else list.push(name, v);
  }
  return list;
}
