/**
 * Reads a `_redirects` file into rules, in either dialect (types.ts). Every bad line is
 * reported, not only the first, each with its line and the fix.
 *
 * Hand-written rather than taken from `@netlify/redirect-parser`: that parser reads the file
 * itself (asynchronously), keeps no line number on the rules it returns (`explain` names the
 * line that matched), and knows Netlify's dialect only.
 */
import { foreignHost, type SiteHosts } from './hosts.js';
import { isRewrite, REDIRECT_STATUSES, STATUS_REWRITES, type RedirectDialect, type RedirectRule, type RuleProblem, type RuleStatus } from './types.js';

/** Cloudflare: "Each redirect declaration has a 1,000-character limit." */
export const MAX_LINE_CHARS = 1_000;

export interface ParsedRedirects {
  rules: RedirectRule[];
  problems: RuleProblem[];
  /** Lines left out, each with why: rules for hosts this distribution never answers, and (Cloudflare) lines Cloudflare Pages itself ignores. */
  skipped: RuleProblem[];
}

class LineError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    /** A line the platform, or this distribution, would never apply: left out with a warning. */
    readonly skip = false,
  ) {
    super(message);
  }
}

export function parseRedirects(text: string, dialect: RedirectDialect, file = '_redirects', hosts: SiteHosts = {}): ParsedRedirects {
  const rules: RedirectRule[] = [];
  const problems: RuleProblem[] = [];
  const skipped: RuleProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    // Both platforms: a line starting with # is a comment; Netlify also ends a rule at a later `#` token.
    if (line === '' || line.startsWith('#')) return;
    try {
      rules.push(parseLine(line, index + 1, dialect, hosts));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      const problem = { file, line: index + 1, text: line, message: error.message, fix: error.fix };
      // Cloudflare Pages reports a line it cannot read and goes on without it ("Found invalid redirect lines ... Ignoring").
      if (error.skip) skipped.push(problem);
      else if (dialect === 'cloudflare') skipped.push({ ...problem, message: `${problem.message} (Cloudflare Pages ignores this line too)` });
      else problems.push(problem);
    }
  });
  return { rules, problems, skipped };
}

function parseLine(line: string, lineNo: number, dialect: RedirectDialect, hosts: SiteHosts): RedirectRule {
  if (line.length > MAX_LINE_CHARS) throw new LineError(`the rule is ${line.length} characters long`, `keep each rule under ${MAX_LINE_CHARS} characters (Cloudflare's limit)`);
  let tokens = line.split(/\s+/);
  const comment = tokens.findIndex((t) => t.startsWith('#'));
  if (comment !== -1) tokens = tokens.slice(0, comment);
  const [source = '', ...rest] = tokens;
  const from = sourcePath(source, dialect, hosts);
  checkSource(from);
  const parts = dialect === 'netlify' ? netlifyParts(rest) : cloudflareParts(rest);
  const { status, force } = parseStatus(parts.status, dialect);
  const to = parts.to;
  checkTarget(to, status);
  if (dialect === 'cloudflare') checkPagesLoop(from, to);
  return { line: lineNo, from, query: parts.query, to, status, force, conditions: parseConditions(parts.conditions) };
}

interface Parts {
  query: Record<string, string>;
  to: string;
  status: string | undefined;
  conditions: string[];
}

/** Netlify: `from [key=value ...] to [status[!]] [Key=value ...]` (redirect-options: query parameters, conditions). */
function netlifyParts(rest: string[]): Parts {
  const toIndex = rest.findIndex(isTarget);
  if (toIndex === -1) throw new LineError('there is no target', 'write the rule as "/from /to [status]"; a target starts with "/", "http://" or "https://"');
  const query: Record<string, string> = {};
  for (const pair of rest.slice(0, toIndex)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LineError(`"${pair}" is neither a target nor a query match`, 'a query match is name=value or name=:placeholder, before the target');
    query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const [status, ...conditions] = rest.slice(toIndex + 1);
  return { query, to: rest[toIndex]!, status, conditions };
}

/** Cloudflare: `[source] [destination] [code?]`, nothing else on the line. */
function cloudflareParts(rest: string[]): Parts {
  if (rest.length === 0) throw new LineError('there is no destination', 'write the rule as "/source /destination [code]"');
  if (rest.length > 2) throw new LineError(`${rest.length + 1} fields where Cloudflare reads at most 3`, 'write the rule as "/source /destination [code]"; query matches and conditions are Netlify syntax: set platformFiles.dialect to "netlify"');
  return { query: {}, to: rest[0]!, status: rest[1], conditions: [] };
}

function isTarget(token: string): boolean {
  return token.startsWith('/') || /^https?:\/\//i.test(token);
}

function checkSource(from: string): void {
  if (!from.startsWith('/')) throw new LineError(`the source "${from}" does not start with "/"`, 'write the source as a path such as /old-page');
  if (from.split('*').length > 2) throw new LineError(`the source "${from}" has more than one "*"`, 'use one splat; name the other parts with :placeholders');
}

/**
 * The path of a rule's source. A domain-level rule (Netlify, "Domain-level redirects") for the
 * site's own domain is a path rule there; one for any other host never runs here, so it is
 * left out with a warning saying why: a platform's default domain or a host the distribution
 * does not serve never reaches it, and the url-handler sends an alias to the domain first.
 */
function sourcePath(source: string, dialect: RedirectDialect, hosts: SiteHosts): string {
  const absolute = /^https?:\/\/([^/]+)(\/.*)?$/i.exec(source);
  if (!absolute) return source;
  // Cloudflare Pages takes relative sources only: it skips such a line, whatever its host.
  if (dialect === 'cloudflare') throw new LineError(`the source "${source}" is a URL; Cloudflare Pages reads paths only`, 'write the source as a path such as /old-page');
  const foreign = foreignHost(absolute[1]!, hosts, 'Netlify or Cloudflare Pages');
  if (foreign) throw new LineError(foreign.message, foreign.fix, true);
  return absolute[2] ?? '/';
}

function checkTarget(to: string, status: RuleStatus): void {
  if (!isTarget(to)) throw new LineError(`the target "${to}" is neither a path nor an http(s) URL`, 'start the target with "/", "http://" or "https://"');
  if (isRewrite(status) && !to.startsWith('/')) {
    throw new LineError(`a ${status} rewrite to another site (${to}) would proxy it, and a CloudFront Function cannot fetch`, `redirect with 301 or 302 instead, or add that site as an origin${status === 200 ? '' : ` (or serve a page of this site with ${status})`}`);
  }
}

/**
 * Cloudflare Pages ignores a rule from a splat (or a path ending in "/") to an index page: its
 * HTML handling would redirect `/index.html` to `/` and the rule would answer again (wrangler
 * 4.80.0, pages `parseRedirects`: "Infinite loop detected in this rule and has been ignored").
 * edgeship would follow it, so the same file would answer otherwise: refused, with the form
 * Pages takes.
 */
function checkPagesLoop(from: string, to: string): void {
  if (/^https?:\/\//i.test(to) || !/\/index(\.html)?$/.test(to)) return;
  if (from.endsWith('/*') || from.endsWith('/')) {
    throw new LineError(`Cloudflare Pages ignores a rule from "${from}" to "${to}" (its HTML handling serves that page at the folder's path, so the rule would loop)`, `write the target as the folder's path: ${to.replace(/index(\.html)?$/, '')}`, true);
  }
}

function parseStatus(token: string | undefined, dialect: RedirectDialect): { status: RuleStatus; force: boolean } {
  // Defaults: Netlify 301 (redirect-options, "HTTP status codes"); Cloudflare 302 ("code ... default: 302").
  if (token === undefined) return { status: dialect === 'netlify' ? 301 : 302, force: dialect === 'cloudflare' };
  const match = /^(\d{3})(!?)$/.exec(token);
  const status = match ? Number(match[1]) : NaN;
  const redirect = status === 200 || (REDIRECT_STATUSES as readonly number[]).includes(status);
  // A status rewrite is Netlify's; Cloudflare Pages takes 200 and 3xx only (and ignores the line, below).
  const rewrite = dialect === 'netlify' && status in STATUS_REWRITES;
  if (!match || (!redirect && !rewrite)) {
    const other = match && dialect === 'netlify' ? ` (Netlify documents 3xx redirects, 200 rewrites and 404 for a custom not-found page; edgeship answers those)` : '';
    const statuses = dialect === 'netlify' ? '200 (rewrite), 404 (the target page, answered as not found)' : '200 (rewrite)';
    throw new LineError(`"${token}" is not a status edgeship can answer${other}`, `use ${statuses} or 301, 302, 303, 307, 308`);
  }
  if (match[2] === '!' && dialect === 'cloudflare') throw new LineError('"!" is Netlify syntax: Cloudflare always follows its rules', 'remove the "!", or set platformFiles.dialect to "netlify"');
  // Cloudflare: "Redirects are always followed, regardless of whether or not an asset matches."
  return { status: status as RuleStatus, force: dialect === 'cloudflare' || match[2] === '!' };
}

/** Netlify conditions: `Country=us,ca` (ISO 3166 codes) and `Language=en,de` (redirect-options, "Redirect by country or language"). */
function parseConditions(tokens: string[]): RedirectRule['conditions'] {
  const conditions: RedirectRule['conditions'] = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const key = eq === -1 ? token : token.slice(0, eq).toLowerCase();
    const values = token.slice(eq + 1).split(',').filter((v) => v !== '');
    if (eq === -1 || values.length === 0) throw new LineError(`"${token}" after the status is not a condition`, 'conditions are Country=us,ca or Language=en,de');
    if (key === 'country') conditions.country = values.map((v) => v.toUpperCase());
    else if (key === 'language') conditions.language = values.map((v) => v.toLowerCase());
    else throw new LineError(`the condition "${token.slice(0, eq)}" needs Netlify's identity or signed requests`, 'only Country= and Language= conditions can be answered at the edge; remove the condition or the rule');
  }
  return conditions;
}
