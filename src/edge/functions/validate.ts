/**
 * Checks what a function returned and folds it back into a plain `CfRequest` / `CfResponse`
 * (spec §7.3, §7.4). Pure: takes the event the function saw and the JSON it returned.
 *
 * Write-back rule for headers, query parameters and cookies (§7.3, §11 case 25): when a
 * `multiValue` list exists and was changed, it wins and `value` is ignored; otherwise a changed
 * `value` replaces the first occurrence and the other occurrences stay. The normalized output
 * has `value` = the first occurrence and `multiValue` only when there are several.
 */
import type { CfEvent, CfHeaders, CfRequest, CfResponse, CfSetCookie, CfValue } from '../contracts.js';

/** A returned value CloudFront would reject with a validation error (502). */
export class InvalidResult extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResult';
  }
}

export type Phase = 'viewer-request' | 'viewer-response';

const DISALLOWED = new Set([
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'trailer',
  'upgrade',
  'x-accel-buffering',
  'x-accel-charset',
  'x-accel-limit-rate',
  'x-accel-redirect',
  'x-amzn-auth',
  'x-amzn-cf-billing',
  'x-amzn-cf-id',
  'x-amzn-cf-xff',
  'x-amzn-errortype',
  'x-amzn-fle-profile',
  'x-amzn-header-count',
  'x-amzn-header-order',
  'x-amzn-lambda-integration-tag',
  'x-amzn-requestid',
  'x-cache',
  'x-forwarded-proto',
  'x-real-ip',
]);

/** Headers a function can neither see nor add (§7.4). Names are lower-case. */
export function isDisallowedHeader(name: string): boolean {
  return DISALLOWED.has(name) || name.startsWith('x-amz-cf-') || name.startsWith('x-edge-');
}

/** Headers a function may read but not change, per event type (§7.4). */
export const READ_ONLY_HEADERS: Record<Phase, readonly string[]> = {
  'viewer-request': ['cdn-loop', 'content-length', 'host', 'transfer-encoding', 'via'],
  'viewer-response': ['warning', 'via'],
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/** What node:http accepts in a header value: tab, visible ASCII, space, and bytes 0x80-0xFF. */
const BAD_HEADER_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/;
// eslint-disable-next-line no-control-regex
const BAD_QUERY = /[\u0000-\u0020\u007f#]/;

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every occurrence, in order: `multiValue` when present, else `[value]`. */
export function valuesOf(entry: CfValue | undefined): string[] {
  if (!entry) return [];
  return entry.multiValue && entry.multiValue.length > 0 ? entry.multiValue.map((m) => m.value) : [entry.value];
}

/** `[a]` -> `{value:a}`; `[a,b]` -> `{value:a, multiValue:[{value:a},{value:b}]}`; `[]` -> undefined. */
export function toCfValue(values: string[]): CfValue | undefined {
  const [first] = values;
  if (first === undefined) return undefined;
  return values.length > 1 ? { value: first, multiValue: values.map((value) => ({ value })) } : { value: first };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Folds a returned name -> `{value, multiValue}` map back against what the function saw.
 * `check(name, value)` rejects bad names or values.
 */
export function writeBack(
  where: string,
  original: Record<string, CfValue> | undefined,
  returned: Json,
  check: (name: string, value: string) => void,
): Record<string, CfValue> {
  if (returned === undefined) return {};
  if (!isObject(returned)) throw new InvalidResult(`${where} must be an object`);
  const out: Record<string, CfValue> = {};
  for (const [name, entry] of Object.entries(returned)) {
    if (!isObject(entry)) throw new InvalidResult(`${where}.${name} must be an object { value: string }`);
    const before = valuesOf(original?.[name]);
    let values: string[];
    const multi = entry.multiValue;
    if (multi !== undefined) {
      if (!Array.isArray(multi) || !multi.every((m) => isObject(m) && typeof m.value === 'string')) {
        throw new InvalidResult(`${where}.${name}.multiValue must be an array of { value: string }`);
      }
      const listed = multi.map((m) => (m as { value: string }).value);
      if (!sameList(listed, before)) values = listed;
      else if (entry.value !== undefined && entry.value !== before[0]) values = [checkString(where, name, entry.value), ...before.slice(1)];
      else values = before;
    } else {
      const value = checkString(where, name, entry.value);
      values = before.length > 0 && value === before[0] ? before : [value, ...before.slice(1)];
    }
    for (const value of values) check(name, value);
    const cf = toCfValue(values);
    if (cf) out[name] = cf;
  }
  return out;
}

function checkString(where: string, name: string, value: Json): string {
  if (typeof value !== 'string') throw new InvalidResult(`${where}.${name}.value must be a string, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** Header names as CloudFront takes them from a function: lower-cased (it accepts `X-Foo` and sends it as a header all the same). */
function lowerCaseNames(returned: Json): Json {
  if (!isObject(returned)) return returned;
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(returned)) out[name.toLowerCase()] = value;
  return out;
}

function headers(phase: Phase, where: string, original: CfHeaders | undefined, returned: Json, readOnly: boolean): CfHeaders {
  const out = writeBack(where, original, lowerCaseNames(returned), (name, value) => {
    if (!TOKEN.test(name)) throw new InvalidResult(`${where}: header name "${name}" must be token characters (spec §7.3)`);
    if (isDisallowedHeader(name)) throw new InvalidResult(`${where}: header "${name}" cannot be added by a function (spec §7.4)`);
    if (BAD_HEADER_VALUE.test(value)) throw new InvalidResult(`${where}.${name}: a header value cannot contain control characters or characters above U+00FF`);
  });
  if (readOnly) {
    for (const name of READ_ONLY_HEADERS[phase]) {
      if (!sameList(valuesOf(original?.[name]), valuesOf(out[name]))) {
        throw new InvalidResult(`${where}: header "${name}" is read-only in ${phase} functions (spec §7.4)`);
      }
    }
  }
  return out;
}

/** A returned `querystring` as an object, or as a raw string (AWS's own examples assign one). */
function querystring(original: Record<string, CfValue>, returned: Json): { qs: Record<string, CfValue>; raw?: string } {
  if (typeof returned === 'string') {
    const raw = returned.startsWith('?') ? returned.slice(1) : returned;
    if (BAD_QUERY.test(raw)) throw new InvalidResult('request.querystring: no spaces, control characters or "#" (spec §7.4)');
    return { qs: parseQuery(raw), raw };
  }
  const qs = writeBack('request.querystring', original, returned, (name, value) => {
    if (BAD_QUERY.test(name) || BAD_QUERY.test(value)) {
      throw new InvalidResult(`request.querystring.${name}: no spaces, control characters or "#" (spec §7.4); percent-encode them`);
    }
  });
  return { qs };
}

/** `a=1&b&a=2` -> `{a: {value:'1', multiValue:[…]}, b: {value:''}}`; names and values stay as written (percent-encoded). */
export function parseQuery(raw: string): Record<string, CfValue> {
  const lists = new Map<string, string[]>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = at === -1 ? part : part.slice(0, at);
    const value = at === -1 ? '' : part.slice(at + 1);
    const list = lists.get(name);
    if (list) list.push(value);
    else lists.set(name, [value]);
  }
  const out: Record<string, CfValue> = {};
  for (const [name, values] of lists) out[name] = toCfValue(values) as CfValue;
  return out;
}

/** A request cookie goes back into one `Cookie` header: `;` or control characters would split or break it. */
function checkRequestCookie(name: string, value: string): void {
  if (name === '' || /[=;,\s]/.test(name) || BAD_HEADER_VALUE.test(name)) throw new InvalidResult(`request.cookies: "${name}" is not a cookie name`);
  if (value.includes(';') || BAD_HEADER_VALUE.test(value)) throw new InvalidResult(`request.cookies.${name}: a cookie value cannot contain ";" or control characters`);
}

/** Normalizes a request returned by a viewer-request function; `raw` is set when the function assigned a query string. */
export function normalizeRequest(original: CfRequest, returned: Record<string, Json>): { request: CfRequest; rawQuery?: string } {
  if (returned.method !== undefined && returned.method !== original.method) {
    throw new InvalidResult('request.method is read-only (spec §7.3)');
  }
  const uri = returned.uri;
  if (typeof uri !== 'string' || !uri.startsWith('/')) throw new InvalidResult('request.uri must be a string starting with "/" (spec §7.3)');
  if (BAD_QUERY.test(uri) || uri.includes('?')) throw new InvalidResult('request.uri: no spaces, control characters, "?" or "#"; percent-encode them');
  const { qs, raw } = querystring(original.querystring, returned.querystring);
  const request: CfRequest = {
    method: original.method,
    uri,
    querystring: qs,
    headers: headers('viewer-request', 'request.headers', original.headers, returned.headers, true),
    cookies: writeBack('request.cookies', original.cookies, returned.cookies, checkRequestCookie),
  };
  const length = uri.length + (raw ?? serializeQuery(qs)).length;
  if (length >= 8_192) throw new InvalidResult(`request URI and query string are ${length} characters; the limit is 8,191 (spec §7.4)`);
  return raw === undefined ? { request } : { request, rawQuery: raw };
}

/** `{a:{value:'1'}, b:{value:''}}` -> `a=1&b=`; every occurrence of a multi-valued parameter is written. */
export function serializeQuery(qs: Record<string, CfValue>): string {
  const parts: string[] = [];
  for (const [name, entry] of Object.entries(qs)) for (const value of valuesOf(entry)) parts.push(`${name}=${value}`);
  return parts.join('&');
}

function setCookies(original: Record<string, CfSetCookie> | undefined, returned: Json): Record<string, CfSetCookie> {
  if (returned === undefined) return {};
  if (!isObject(returned)) throw new InvalidResult('response.cookies must be an object');
  const out: Record<string, CfSetCookie> = {};
  for (const [name, entry] of Object.entries(returned)) {
    const where = `response.cookies.${name}`;
    if (!isObject(entry)) throw new InvalidResult(`${where} must be an object { value: string, attributes?: string }`);
    const one = (e: Json, at: string): { value: string; attributes?: string } => {
      if (!isObject(e) || typeof e.value !== 'string') throw new InvalidResult(`${at}.value must be a string`);
      if (e.attributes !== undefined && typeof e.attributes !== 'string') throw new InvalidResult(`${at}.attributes must be a string`);
      if (BAD_HEADER_VALUE.test(e.value) || BAD_HEADER_VALUE.test(e.attributes ?? '')) throw new InvalidResult(`${at}: no control characters or characters above U+00FF`);
      return e.attributes === undefined ? { value: e.value } : { value: e.value, attributes: e.attributes };
    };
    const first = one(entry, where);
    const before = original?.[name];
    const beforeList = before ? (before.multiValue ?? [{ value: before.value, attributes: before.attributes }]) : [];
    let list = [first];
    if (entry.multiValue !== undefined) {
      if (!Array.isArray(entry.multiValue)) throw new InvalidResult(`${where}.multiValue must be an array`);
      const listed = entry.multiValue.map((m, i) => one(m, `${where}.multiValue[${i}]`));
      const changed = JSON.stringify(listed) !== JSON.stringify(beforeList.map((b) => one(b, where)));
      list = changed ? listed : [first, ...listed.slice(1)];
    }
    const [head] = list;
    if (!head) continue;
    out[name] = list.length > 1 ? { ...head, multiValue: list } : head;
  }
  return out;
}

function isBase64(data: string): boolean {
  const s = data.replace(/\s/g, '');
  return s.length % 4 !== 1 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && (!s.includes('=') || s.length % 4 === 0);
}

/** Normalizes a response a function generated (viewer-request) or returned (viewer-response). */
export function normalizeResponse(phase: Phase, original: CfResponse | undefined, returned: Record<string, Json>): CfResponse {
  const status = returned.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new InvalidResult(`response.statusCode must be an integer from 200 to 599, got ${JSON.stringify(status)} (spec §7.3)`);
  }
  const response: CfResponse = {
    statusCode: status,
    headers: headers(phase, 'response.headers', original?.headers, returned.headers, phase === 'viewer-response'),
    cookies: setCookies(original?.cookies, returned.cookies),
  };
  const description = returned.statusDescription;
  if (description !== undefined) {
    if (typeof description !== 'string' || BAD_HEADER_VALUE.test(description)) throw new InvalidResult('response.statusDescription must be a one-line string');
    response.statusDescription = description;
  }
  const body = returned.body;
  // The body is never visible to a viewer-response function and cannot be set there (§7.3).
  if (phase === 'viewer-response' && body !== undefined) throw new InvalidResult('response.body cannot be set by a viewer-response function (spec §7.3); generate the response in viewer-request instead');
  if (typeof body === 'string') response.body = body;
  else if (isObject(body)) {
    const { encoding, data } = body;
    if (encoding !== 'text' && encoding !== 'base64') throw new InvalidResult('response.body.encoding must be "text" or "base64" (spec §7.3)');
    if (typeof data !== 'string') throw new InvalidResult('response.body.data must be a string');
    if (encoding === 'base64' && !isBase64(data)) throw new InvalidResult('response.body.data is not valid base64 (spec §7.3)');
    response.body = { encoding, data };
  } else if (body !== undefined) throw new InvalidResult('response.body must be a string or { encoding, data }');
  return response;
}

/** Whether a value returned by a viewer-request function is a response (it has a status code). */
export function isResponseShaped(value: Record<string, Json>): boolean {
  return 'statusCode' in value;
}

/** Folds a function's JSON result back, for its event type. */
export function normalizeResult(
  phase: Phase,
  event: CfEvent,
  returned: Json,
): { kind: 'request'; request: CfRequest; rawQuery?: string } | { kind: 'response'; response: CfResponse } {
  if (!isObject(returned)) throw new InvalidResult(`the handler must return the ${phase === 'viewer-request' ? 'request or a response' : 'response'} object, got ${Array.isArray(returned) ? 'an array' : typeof returned}`);
  if (phase === 'viewer-response') {
    if (!isResponseShaped(returned)) throw new InvalidResult('a viewer-response function must return the response object (with statusCode)');
    return { kind: 'response', response: normalizeResponse(phase, event.response, returned) };
  }
  if (isResponseShaped(returned)) return { kind: 'response', response: normalizeResponse(phase, undefined, returned) };
  if (!('uri' in returned)) throw new InvalidResult('a viewer-request function must return event.request or a response object, not the whole event (spec §7.2)');
  return { kind: 'request', ...normalizeRequest(event.request, returned) };
}
