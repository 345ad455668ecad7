/**
 * The I/O half of checking `_headers` on a live site: one request per rule, at a served path
 * the rule matches, and what `_headers` gives that path by the one matcher of which rules apply
 * where (src/headers-file/match.ts), which the edge's behaviors and the viewer-response
 * function are built to agree with. Which paths are served comes from what the audit already
 * has: the URLs the crawl saw answer 200 (pages in their canonical form) and the store's keys.
 */
import { headersFor, rulesFor } from '../headers-file/match.js';
import type { HeaderRule } from '../headers-file/parse.js';
import { mapLimit } from '../store/concurrency.js';
import { pathForKey } from './classify.js';
import type { Fetcher } from './http.js';
import type { FetchedResource, HeaderRuleProbe } from './types.js';

/** A site's `_headers` as audit reads it (`SiteModel.headersFile`). */
export interface HeadersFileRules {
  file: string;
  rules: readonly HeaderRule[];
}

const isHtmlPath = (path: string) => /\.html?$/i.test(path);

/**
 * Served URL paths, most telling first: HTML pages the crawl reached by a link and saw answer
 * 200, HTML objects of the store, then every other 200 and object. A rule is checked at the
 * first one it matches, so a rule that reaches pages is checked on a page, where its headers
 * matter most.
 */
export function servedCandidates(resources: readonly FetchedResource[], storeKeys: readonly string[] = []): string[] {
  const ok = resources.filter((r) => r.status === 200);
  const okPaths = new Set(ok.map((r) => new URL(r.url).pathname));
  // A key the crawl requested and saw answer otherwise (an extension-less key the url-handler redirects) is not served as such.
  const crawled = new Set(resources.map((r) => new URL(r.url).pathname));
  const keys = storeKeys.map(pathForKey).filter((p) => okPaths.has(p) || !crawled.has(p));
  const ordered = [
    // A page as linked (`/about/`) before its object's own URL (`/about/index.html`).
    ...ok.filter((r) => r.type === 'html' && r.via.some((v) => v.kind !== 'store')).map((r) => new URL(r.url).pathname),
    ...keys.filter(isHtmlPath),
    ...okPaths,
    ...keys,
  ];
  return [...new Set(ordered)];
}

/** Every header `_headers` gives a path, with the lines of the rules that set it (after the last `! Name` that removed it). */
export function expectedHeaders(rules: readonly HeaderRule[], urlPath: string): HeaderRuleProbe['expected'] {
  const lines = new Map<string, number[]>();
  for (const rule of rulesFor(rules, urlPath)) {
    for (const name of rule.detach) lines.delete(name);
    for (const { name } of rule.set) {
      const had = lines.get(name.toLowerCase()) ?? [];
      if (!had.includes(rule.line)) lines.set(name.toLowerCase(), [...had, rule.line]);
    }
  }
  return [...headersFor(rules, urlPath)].map(([lower, { name, value }]) => ({ name, value, lines: lines.get(lower) ?? [] }));
}

export async function probeHeaderRules(baseUrl: string, headers: HeadersFileRules, fetch: Fetcher, candidates: readonly string[], concurrency: number): Promise<HeaderRuleProbe[]> {
  const origin = new URL(baseUrl).origin;
  return mapLimit(headers.rules, concurrency, async (rule): Promise<HeaderRuleProbe> => {
    const base = { file: headers.file, line: rule.line, path: rule.path };
    const path = candidates.find((p) => rulesFor([rule], p).length > 0);
    if (path === undefined) return { ...base, expected: [] };
    const url = `${origin}${path}`;
    const res = await fetch(url);
    return { ...base, url, expected: expectedHeaders(headers.rules, path), status: res.status, headers: res.headers, ...(res.error ? { error: res.error } : {}) };
  });
}
