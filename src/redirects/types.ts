/**
 * A `_redirects` file as data. Two dialects, because the two platforms that made the format
 * read it differently (each difference is cited where it is implemented, in parse.ts and
 * match.ts):
 * - `netlify` (https://docs.netlify.com/routing/redirects/ and .../redirect-options/): default
 *   status 301; `!` forces a rule over an existing file (without it a file that exists shadows
 *   the rule); `key=value` query matches before the target; `Country=` / `Language=` conditions
 *   after the status; a path matches with or without its trailing slash.
 * - `cloudflare` (https://developers.cloudflare.com/pages/configuration/redirects/): exactly
 *   `source destination [code]`; default status 302; rules are always followed, whether or
 *   not a file exists; `/a` and `/a/` are different sources.
 */
export type RedirectDialect = 'netlify' | 'cloudflare';

/** The statuses a viewer-request function can answer: redirects, and 200 rewrites to another object. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
/**
 * Netlify's rewrites with a status ("404: ... present custom 404 pages ... the page content will
 * change, but the URL in the browser address bar will not", redirect-options, "HTTP status
 * codes"): the target's object is served, and edgeship's viewer-response function sets the
 * status (CloudFront lets it change `statusCode`, spec §7.3).
 */
export const STATUS_REWRITES = { 404: 'Not Found' } as const;
export type RuleStatus = 200 | (typeof REDIRECT_STATUSES)[number] | keyof typeof STATUS_REWRITES;

/** Whether a rule serves its target's object at the same URL (200, or a status rewrite) rather than redirecting. */
export function isRewrite(status: number): boolean {
  return status === 200 || status in STATUS_REWRITES;
}

export interface RedirectRule {
  /** 1-based line in the file. */
  line: number;
  /** The source path: literal segments, `:name` placeholders, at most one `*` splat. */
  from: string;
  /** Netlify query matches: parameter name to a literal value or a `:placeholder`. */
  query: Record<string, string>;
  /** Target path or URL; `:name` and `:splat` are filled from the match. */
  to: string;
  status: RuleStatus;
  /** Applied even where a file exists (Netlify `!`; every Cloudflare rule). */
  force: boolean;
  /** Netlify conditions, upper-cased country codes and lower-cased language tags. */
  conditions: { country?: string[]; language?: string[] };
}

/** A line that cannot be used: where it is, what was there, and the fix. */
export interface RuleProblem {
  file: string;
  line: number;
  text: string;
  message: string;
  fix: string;
}

/** Whether a rule needs the function's code (pattern, query or condition) rather than one exact-path lookup. */
export function isPatternRule(rule: Pick<RedirectRule, 'from' | 'query' | 'conditions'>): boolean {
  return /\*|:[A-Za-z]/.test(rule.from) || Object.keys(rule.query).length > 0 || rule.conditions.country !== undefined || rule.conditions.language !== undefined;
}

/** A site's `_redirects` as the rest of edgeship reads it (`SiteModel.redirects`). */
export interface SiteRedirects {
  /** Absolute path of the file read. */
  file: string;
  dialect: RedirectDialect;
  rules: RedirectRule[];
  /** Each function file (absolute, as configured) the rules were compiled into, to its compiled copy. */
  compiled: Record<string, string>;
}
