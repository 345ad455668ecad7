/**
 * The cache key (spec/cloudfront.md §2.5): the URL path, plus what the behavior's cache policy
 * names (query strings, headers, cookies), plus the normalized `Accept-Encoding` (§2.6).
 *
 * - The viewer's `Host` is not in the key unless the policy names it: one alternate domain cannot
 *   poison another's entries.
 * - Query-string names and values are case-sensitive and their order matters (`?a=1&b=2` and
 *   `?b=2&a=1` are two entries); only `&` separates parameters.
 * - Header names are case-insensitive, values case-sensitive. Cookies are sorted by name.
 * - The path is verbatim (case-sensitive, still percent-encoded as received).
 * - For OPTIONS the method is part of the key; GET and HEAD share entries (§1.5).
 * - Each behavior has its own cache policy, so the behavior is part of the key too.
 */
import type { CacheKeyConfig } from '../behavior/table.js';

export interface KeyInput {
  behaviorIndex: number;
  method: string;
  /** The URI after the viewer-request function and the default root object, percent-encoded. */
  uri: string;
  /** Raw query string without `?`, or '' */
  query: string;
  /** Lower-case header name -> value (several lines joined with `,`). */
  header(name: string): string | undefined;
  /** Normalized `Accept-Encoding` (§2.6). */
  acceptEncoding: string;
}

export interface CacheKey {
  /** The full key: distinct for every variant. */
  key: string;
  /** What invalidation paths are compared with: the path, and the query string when it is keyed (§8.1). */
  objectPath: string;
}

export function keyedQuery(query: string, config: CacheKeyConfig['queryStrings']): string {
  if (config === 'none' || query === '') return '';
  if (config === 'all') return query;
  const names = new Set(config);
  return query
    .split('&')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      return names.has(eq === -1 ? pair : pair.slice(0, eq));
    })
    .join('&');
}

/** `name=value` pairs of a `Cookie` header, in order. */
export function parseCookies(header: string | undefined): [string, string][] {
  if (!header) return [];
  const out: [string, string][] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}

export function keyedCookies(header: string | undefined, config: CacheKeyConfig['cookies']): string {
  if (config === 'none') return '';
  const names = config === 'all' ? undefined : new Set(config);
  return parseCookies(header)
    .filter(([name]) => names === undefined || names.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('; ');
}

/** Computes the key. Headers named in the policy are read lower-cased; their order is fixed by sorting. */
export function cacheKey(input: KeyInput, config: CacheKeyConfig, keyedHeaders: readonly string[] = normalizeHeaderNames(config.headers)): CacheKey {
  const q = keyedQuery(input.query, config.queryStrings);
  const objectPath = q === '' ? input.uri : `${input.uri}?${q}`;
  let key = `${input.behaviorIndex}\n${input.method === 'OPTIONS' ? 'OPTIONS ' : ''}${objectPath}`;
  for (const name of keyedHeaders) key += `\nh:${name}=${input.header(name) ?? ''}`;
  if (config.cookies !== 'none') key += `\nc:${keyedCookies(input.header('cookie'), config.cookies)}`;
  if (input.acceptEncoding !== '') key += `\nae:${input.acceptEncoding}`;
  return { key, objectPath };
}

export function normalizeHeaderNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort();
}
