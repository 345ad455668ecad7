/**
 * The I/O half of checking `_redirects` on a live site: one request per rule, at a path its
 * source matches (a pattern's placeholders and splat filled from a page its target reaches,
 * src/redirects/sample.ts), the Locations followed
 * on the audited origin while they redirect. What the answer should be comes from the same
 * matcher the function runs (src/redirects/match.ts). Rules with country or language
 * conditions are not probed: the answer depends on who asks.
 *
 * The probe's expectation already lets a file shadow a Netlify rule without `!`, so such a rule
 * passes as "answers 200"; `shadowedRules` says so instead, from the same store keys.
 */
import { servedFiles, servedPaths } from '../redirects/compile.js';
import { compileRules, lookupPath, resolveRedirect, samplePath } from '../redirects/match.js';
import { pagePaths, sampleRequest } from '../redirects/sample.js';
import type { RedirectRule, SiteRedirects } from '../redirects/types.js';
import type { Fetcher } from './http.js';
import type { RedirectHop, RedirectRuleProbe, ShadowedRule } from './types.js';

/** Hops followed after the rule's own answer: one is fine, two make a chain, the rest finds loops. */
const MAX_HOPS = 4;

/**
 * Netlify rules without `!` that never answer where they are asked, because a file is served
 * there (https://docs.netlify.com/routing/redirects/rewrites-proxies/#shadowing): an exact
 * rule at its own source, a pattern rule at its sample path. Cloudflare follows every rule.
 * Pure: the files come in as the store's keys, as deploy compiled them (compile.ts).
 */
export function shadowedRules(baseUrl: string, redirects: Pick<SiteRedirects, 'dialect' | 'rules'>, storeKeys: readonly string[]): ShadowedRule[] {
  if (redirects.dialect !== 'netlify') return [];
  const origin = new URL(baseUrl).origin;
  const files = new Map([...servedFiles(storeKeys)].map(([p, key]) => [lookupPath(p, 'netlify'), key]));
  return redirects.rules.flatMap((rule) => {
    const path = samplePath(rule);
    const file = files.get(lookupPath(path, 'netlify'));
    if (rule.force || file === undefined) return [];
    return [{ line: rule.line, rule: ruleText(rule), path, pattern: /\*|:[A-Za-z]/.test(rule.from), file, url: `${origin}${path}` }];
  });
}

export async function probeRedirectRules(baseUrl: string, redirects: SiteRedirects, fetch: Fetcher, storeKeys: readonly string[] | undefined, concurrency: number): Promise<RedirectRuleProbe[]> {
  const origin = new URL(baseUrl).origin;
  const compiled = compileRules(redirects.rules, redirects.dialect);
  const served = new Set([...servedPaths(storeKeys ?? [])].map((p) => lookupPath(p, redirects.dialect)));
  const candidates = pagePaths(storeKeys ?? []);
  const todo = redirects.rules.filter((r) => !r.conditions.country && !r.conditions.language);
  const probes: RedirectRuleProbe[] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const index = next++;
      const rule = todo[index]!;
      const { path, query } = sampleRequest(rule, redirects.dialect, candidates, (p) => served.has(p));
      const search = new URLSearchParams(query).toString();
      const answer = resolveRedirect(compiled, { path, query, fileExists: served.has(lookupPath(path, redirects.dialect)) }, redirects.dialect);
      const url = `${origin}${path}${search ? `?${search}` : ''}`;
      probes[index] = { line: rule.line, rule: ruleText(rule), url, expected: answer && { line: answer.rule.line, status: answer.status, target: answer.target }, hops: await follow(url, origin, fetch) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return probes;
}

/** A rule as the file states it, for findings. */
function ruleText(rule: RedirectRule): string {
  return `${rule.from} ${rule.to} ${rule.status}`;
}

async function follow(start: string, origin: string, fetch: Fetcher): Promise<RedirectHop[]> {
  const hops: RedirectHop[] = [];
  let url = start;
  for (let i = 0; i <= MAX_HOPS; i++) {
    const res = await fetch(url);
    const hop: RedirectHop = { url, host: new URL(url).host, status: res.status, error: res.error };
    hops.push(hop);
    if (res.status < 300 || res.status >= 400 || !res.headers.location) break;
    const target = new URL(res.headers.location, url);
    hop.location = target.href;
    // Only the audited origin is ever requested.
    if (target.origin !== origin) break;
    url = target.href;
  }
  return hops;
}
