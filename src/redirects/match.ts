/**
 * Which rule answers a request, and with what: the same semantics the function code runs
 * (templates/redirects.js), used by `explain`, loop detection and `audit`. Both are built
 * from `sourceRegExp`, so the two cannot read a source differently.
 *
 * - `*` matches any run of characters, `/` included, and is `:splat` in the target; a
 *   `:name` placeholder matches one path segment (Cloudflare's rules engine,
 *   workers-sdk packages/workers-shared/asset-worker/src/utils/rules-engine.ts: `*` is
 *   `(?<splat>.*)`, `:name` is `([^/]+)`; Netlify's "Splats" and "Placeholders").
 * - The first matching rule in file order wins (both platforms).
 * - Netlify matches a path with or without its trailing slash, and a whole-segment splat may
 *   be absent (`/news/*` also answers `/news`, a splat between two segments answers with
 *   none); Cloudflare compares the path as sent.
 * - The query string is kept: appended to a redirect whose target has none (Netlify "passes
 *   on all query string parameters to destination paths"; Cloudflare keeps the request's search
 *   when the destination has none).
 */
import type { RedirectDialect, RedirectRule } from './types.js';

const PLACEHOLDER = /:([A-Za-z]\w*)/g;

/** The anchored RegExp source of a rule's source path, and the names of its groups in order. */
export function sourceRegExp(from: string, dialect: RedirectDialect): { source: string; names: string[] } {
  const names: string[] = [];
  const path = lookupPath(from, dialect);
  let source = '';
  let last = 0;
  for (const m of path.matchAll(/\/\*(?=\/|$)|\*|:([A-Za-z]\w*)/g)) {
    source += escapeRegExp(path.slice(last, m.index));
    if (m[0] === '/*' && dialect !== 'netlify') source += '/(.*)';
    // Netlify: a splat that is a whole segment may be absent with its slash, so `/news/*`
    // answers `/news` and `/docs/*/edit` answers `/docs/edit` (netlify-redirector 0.5.0).
    else if (m[0] === '/*') source += '(?:/(.*))?';
    else source += m[0] === '*' ? '(.*)' : '([^/]+)';
    names.push(m[1] ?? 'splat');
    last = m.index + m[0].length;
  }
  source += escapeRegExp(path.slice(last));
  return { source: `^${source}$`, names };
}

/** The path a request is looked up by: Netlify drops a trailing slash (but the root's). */
export function lookupPath(path: string, dialect: RedirectDialect): string {
  if (dialect !== 'netlify' || path.length <= 1 || path.endsWith('/*')) return path;
  return path.replace(/\/+$/, '') || '/';
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

export interface RedirectRequest {
  /** URL path as received (percent-encoded), without the query string. */
  path: string;
  query?: Record<string, string>;
  /** `CloudFront-Viewer-Country`, an ISO 3166 code. */
  country?: string;
  acceptLanguage?: string;
  /** Whether the site has a file at this path (Netlify: a file shadows a rule without `!`). */
  fileExists?: boolean;
}

export interface RedirectAnswer {
  rule: RedirectRule;
  status: RedirectRule['status'];
  /** The `Location` of a redirect, or the path (and query) a 200 rewrite serves. */
  target: string;
}

export interface CompiledRule {
  rule: RedirectRule;
  regExp: RegExp;
  names: string[];
}

export function compileRules(rules: readonly RedirectRule[], dialect: RedirectDialect): CompiledRule[] {
  return rules.map((rule) => {
    const { source, names } = sourceRegExp(rule.from, dialect);
    return { rule, regExp: new RegExp(source), names };
  });
}

/** The first rule that answers the request, or `undefined`. */
export function resolveRedirect(rules: readonly CompiledRule[], request: RedirectRequest, dialect: RedirectDialect): RedirectAnswer | undefined {
  const path = lookupPath(request.path, dialect);
  for (const compiled of rules) {
    const vars = matchRule(compiled, path, request);
    if (vars) return { rule: compiled.rule, status: compiled.rule.status, target: fillTarget(compiled.rule, vars, request.query) };
  }
  return undefined;
}

function matchRule({ rule, regExp, names }: CompiledRule, path: string, request: RedirectRequest): Record<string, string> | undefined {
  if (request.fileExists && !rule.force) return undefined;
  const m = regExp.exec(path);
  if (!m) return undefined;
  const vars: Record<string, string> = {};
  names.forEach((name, i) => (vars[name] = m[i + 1] ?? ''));
  for (const [name, want] of Object.entries(rule.query)) {
    const got = request.query?.[name];
    if (got === undefined) return undefined;
    if (want.startsWith(':')) vars[want.slice(1)] = got;
    else if (got !== want) return undefined;
  }
  const { country, language } = rule.conditions;
  if (country && !country.includes((request.country ?? '').toUpperCase())) return undefined;
  if (language && !acceptsLanguage(request.acceptLanguage ?? '', language)) return undefined;
  return vars;
}

/** Whether an Accept-Language header names one of the languages (a tag or its primary subtag). */
export function acceptsLanguage(header: string, languages: readonly string[]): boolean {
  const tags = header.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  return tags.some((tag) => languages.some((lang) => tag === lang || tag.startsWith(`${lang}-`)));
}

function fillTarget(rule: RedirectRule, vars: Record<string, string>, query: Record<string, string> | undefined): string {
  const to = rule.to.replace(PLACEHOLDER, (whole, name: string) => vars[name] ?? whole);
  const qs = Object.entries(query ?? {})
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('&');
  return to.includes('?') || qs === '' ? to : `${to}?${qs}`;
}

/** A concrete path a rule's source matches: placeholders and the splat filled with `x` (loop detection). */
export function samplePath(rule: RedirectRule): string {
  return rule.from.replace(/\*/g, 'x').replace(PLACEHOLDER, 'x');
}

