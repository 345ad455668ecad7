/**
 * From node's HTTP request to a CloudFront Functions event and back (spec §7.3).
 *
 * - Header names are lower-cased; a name that occurs several times gets `multiValue`
 *   (§11 case 25); `Cookie` lines become `cookies`; headers a function may not see (§7.4) are
 *   left out.
 * - `querystring` is `{}` without a query string; names and values are kept as the viewer
 *   sent them (still percent-encoded), so a function that writes them back unchanged forwards
 *   the same bytes; a parameter without `=` has value `''`.
 * - The raw query string is remembered beside the request (for `request.rawQueryString()` and
 *   to forward an untouched query string byte for byte).
 */
import type { CfEvent, CfHeaders, CfRequest, CfResponse, CfSetCookie, CfValue, HeaderMap } from '../contracts.js';
import { isDisallowedHeader, parseQuery, serializeQuery, toCfValue, valuesOf } from './validate.js';

const RAW_QUERY = new WeakMap<CfRequest, string | undefined>();
const RAW_COOKIES = new WeakMap<CfRequest, string[]>();

/** The query string as received (without `?`): `''` for a bare `?`, undefined without `?`. */
export function rawQueryOf(request: CfRequest): string | undefined {
  return RAW_QUERY.get(request);
}

export function setRawQuery(request: CfRequest, raw: string | undefined): void {
  RAW_QUERY.set(request, raw);
}

/** What the edge knows about one incoming request (node `IncomingMessage` fits). */
export interface IncomingRequestLike {
  method?: string;
  /** The request target as received: `/path?query` (an absolute-form URL is accepted too). */
  url?: string;
  /** Alternating names and values, as `IncomingMessage.rawHeaders`. */
  rawHeaders: readonly string[];
}

export interface ViewerRequestEventInit {
  /** Viewer address (the TCP peer). */
  ip: string;
  /** Same value as `X-Amz-Cf-Id` (§7.3 [gap]). */
  requestId: string;
  distributionDomainName?: string;
  distributionId?: string;
}

/** `/a/b?x=1` -> `{ uri: '/a/b', rawQuery: 'x=1' }`. */
export function splitTarget(url: string): { uri: string; rawQuery: string | undefined } {
  let target = url;
  if (!target.startsWith('/')) {
    try {
      const parsed = new URL(target);
      target = parsed.pathname + (target.includes('?') ? `?${target.slice(target.indexOf('?') + 1)}` : '');
    } catch {
      target = `/${target}`;
    }
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const at = target.indexOf('?');
  return at === -1 ? { uri: target, rawQuery: undefined } : { uri: target.slice(0, at), rawQuery: target.slice(at + 1) };
}

function collect(lists: Map<string, string[]>, name: string, value: string): void {
  const list = lists.get(name);
  if (list) list.push(value);
  else lists.set(name, [value]);
}

function fromLists(lists: Map<string, string[]>): Record<string, CfValue> {
  const out: Record<string, CfValue> = {};
  for (const [name, values] of lists) {
    const cf = toCfValue(values);
    if (cf) out[name] = cf;
  }
  return out;
}

/** `Cookie` header lines -> `cookies` (names case-preserved, repeated names -> multiValue). */
export function parseCookies(lines: readonly string[]): Record<string, CfValue> {
  const lists = new Map<string, string[]>();
  for (const line of lines) {
    for (const part of line.split(';')) {
      const pair = part.trim();
      if (pair === '') continue;
      const at = pair.indexOf('=');
      collect(lists, at === -1 ? pair : pair.slice(0, at).trim(), at === -1 ? '' : pair.slice(at + 1).trim());
    }
  }
  return fromLists(lists);
}

/** The CloudFront Functions event for a viewer request. */
export function viewerRequestEvent(incoming: IncomingRequestLike, init: ViewerRequestEventInit): CfEvent {
  const { uri, rawQuery } = splitTarget(incoming.url ?? '/');
  const headerLists = new Map<string, string[]>();
  const cookieLines: string[] = [];
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    let name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    // HTTP/2 pseudo-headers are not headers; `:authority` is the host.
    if (name.startsWith(':')) {
      if (name !== ':authority' || headerLists.has('host')) continue;
      name = 'host';
    }
    if (name === 'cookie') cookieLines.push(value);
    else if (!isDisallowedHeader(name)) collect(headerLists, name, value);
  }
  const request: CfRequest = {
    method: (incoming.method ?? 'GET').toUpperCase(),
    uri,
    querystring: rawQuery === undefined ? {} : parseQuery(rawQuery),
    headers: fromLists(headerLists),
    cookies: parseCookies(cookieLines),
  };
  setRawQuery(request, rawQuery);
  RAW_COOKIES.set(request, cookieLines);
  return {
    version: '1.0',
    context: {
      distributionDomainName: init.distributionDomainName ?? '',
      distributionId: init.distributionId ?? '',
      eventType: 'viewer-request',
      requestId: init.requestId,
    },
    // An IPv4 viewer on a dual-stack socket shows as ::ffff:a.b.c.d; CloudFront gives a.b.c.d.
    viewer: { ip: /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(init.ip) ? init.ip.slice(7) : init.ip },
    request,
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function serializeCookies(cookies: Record<string, CfValue>): string | undefined {
  const parts: string[] = [];
  for (const [name, entry] of Object.entries(cookies)) for (const value of valuesOf(entry)) parts.push(`${name}=${value}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function headerMapOf(headers: CfHeaders, into: HeaderMap = {}): HeaderMap {
  for (const [name, entry] of Object.entries(headers)) {
    const values = valuesOf(entry);
    if (values.length === 1) into[name] = values[0] as string;
    else if (values.length > 1) into[name] = values;
  }
  return into;
}

/** The request to continue with, after a viewer-request function returned `request`. */
export interface AppliedRequest {
  method: string;
  /** Path as the function left it (decides the object fetched, not the behavior, §11 case 4). */
  uri: string;
  /** Query string to forward, without `?`; undefined when there is none. */
  rawQuery: string | undefined;
  /** `uri` plus `?rawQuery`. */
  url: string;
  /** Lower-case header names; `cookie` rebuilt from `cookies`. */
  headers: HeaderMap;
}

/**
 * Turns the request a function returned back into HTTP terms. An untouched query string or
 * cookie list is forwarded as received; a changed one is serialized (`a=1&a=2`, `a=1; b=2`).
 */
export function applyCfRequest(event: CfEvent, request: CfRequest): AppliedRequest {
  let rawQuery: string | undefined;
  if (RAW_QUERY.has(request) && request !== event.request) rawQuery = RAW_QUERY.get(request);
  else if (same(request.querystring, event.request.querystring)) rawQuery = rawQueryOf(event.request);
  else {
    const serialized = serializeQuery(request.querystring);
    rawQuery = serialized === '' ? undefined : serialized;
  }
  const headers = headerMapOf(request.headers);
  delete headers.cookie;
  const rawCookies = RAW_COOKIES.get(event.request);
  const cookie = rawCookies && rawCookies.length > 0 && same(request.cookies, event.request.cookies) ? rawCookies.join('; ') : serializeCookies(request.cookies);
  if (cookie !== undefined) headers.cookie = cookie;
  return { method: request.method, uri: request.uri, rawQuery, url: rawQuery === undefined ? request.uri : `${request.uri}?${rawQuery}`, headers };
}

/** `Set-Cookie` lines -> response `cookies` (§7.3): `{ name: { value, attributes } }`. */
export function parseSetCookies(lines: readonly string[]): Record<string, CfSetCookie> {
  const lists = new Map<string, { value: string; attributes?: string }[]>();
  for (const line of lines) {
    const semi = line.indexOf(';');
    const pair = semi === -1 ? line : line.slice(0, semi);
    const attributes = semi === -1 ? '' : line.slice(semi + 1).trim();
    const at = pair.indexOf('=');
    const name = (at === -1 ? pair : pair.slice(0, at)).trim();
    const value = at === -1 ? '' : pair.slice(at + 1).trim();
    const entry = attributes === '' ? { value } : { value, attributes };
    const list = lists.get(name);
    if (list) list.push(entry);
    else lists.set(name, [entry]);
  }
  const out: Record<string, CfSetCookie> = {};
  for (const [name, list] of lists) {
    const [head] = list;
    if (head) out[name] = list.length > 1 ? { ...head, multiValue: list } : head;
  }
  return out;
}

function setCookieLines(cookies: Record<string, CfSetCookie>): string[] {
  const lines: string[] = [];
  for (const [name, cookie] of Object.entries(cookies)) {
    for (const one of cookie.multiValue && cookie.multiValue.length > 0 ? cookie.multiValue : [cookie]) {
      lines.push(`${name}=${one.value}${one.attributes ? `; ${one.attributes}` : ''}`);
    }
  }
  return lines;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The response as a viewer-response function sees it: status, headers (no `set-cookie`), cookies. */
export function responseForFunction(response: { statusCode: number; statusDescription?: string; headers: HeaderMap }): CfResponse {
  const lists = new Map<string, string[]>();
  for (const [name, value] of Object.entries(response.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || isDisallowedHeader(lower)) continue;
    for (const v of asList(value)) collect(lists, lower, String(v));
  }
  const setCookie = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'set-cookie')?.[1];
  const out: CfResponse = { statusCode: response.statusCode, headers: fromLists(lists), cookies: parseSetCookies(asList(setCookie)) };
  if (response.statusDescription !== undefined) out.statusDescription = response.statusDescription;
  return out;
}

/** The viewer-response event: the request as it went to the cache/origin, plus the response. */
export function viewerResponseEvent(requestEvent: CfEvent, response: { statusCode: number; statusDescription?: string; headers: HeaderMap }): CfEvent {
  return {
    ...requestEvent,
    context: { ...requestEvent.context, eventType: 'viewer-response' },
    response: responseForFunction(response),
  };
}

/**
 * The headers to send after a viewer-response function: the function's headers and cookies,
 * plus the headers it could not see (§7.4), kept from `original`.
 */
export function applyCfResponseHeaders(original: HeaderMap, response: CfResponse): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(original)) if (isDisallowedHeader(name.toLowerCase())) out[name] = value;
  headerMapOf(response.headers, out);
  const cookies = setCookieLines(response.cookies);
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

/**
 * How CloudFront writes a header name a function set (§7.3): each hyphen-separated word
 * capitalized, `example-header-name` -> `Example-Header-Name`.
 */
export function cloudFrontHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}

/** A response a viewer-request function generated, in HTTP terms. */
export interface GeneratedResponse {
  status: number;
  statusMessage: string | undefined;
  headers: HeaderMap;
  /** Empty when the function set no body. */
  body: Buffer;
}

export function generatedResponse(response: CfResponse): GeneratedResponse {
  const body = response.body;
  const bytes =
    body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8');
  return { status: response.statusCode, statusMessage: response.statusDescription, headers: applyCfResponseHeaders({}, response), body: bytes };
}
