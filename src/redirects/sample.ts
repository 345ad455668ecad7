/**
 * A request that exercises a rule on the deployed site, for `audit`: a pattern rule's
 * placeholders and splat filled from a page its target reaches, so the probe asks a URL whose
 * answer can be judged (`/:year/:month/:slug/ /posts/:slug/` is asked at `/x/x/hello/` when
 * `/posts/hello/` is served, not at `/x/x/x/`, whose target no site has). Under Netlify's
 * reading a path where a file is served shadows a rule without `!`, so such a path is skipped:
 * the probe is meant to see the rule answer. Without a fitting page, placeholders are `x`
 * (as `samplePath` fills them).
 */
import { compileRules, lookupPath, resolveRedirect, sourceRegExp } from './match.js';
import type { RedirectDialect, RedirectRule } from './types.js';

const PLACEHOLDER = /:([A-Za-z]\w*)/g;

export interface SampleRequest {
  path: string;
  query: Record<string, string>;
}

/** The values a served path gives a target's placeholders (`splat` for `:splat`), or undefined when it does not fit. */
function targetValues(to: string, servedPath: string): Record<string, string> | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(to) || !/:[A-Za-z]/.test(to)) return undefined;
  // The target read as a source, compared as sent: `:splat` is the splat it was filled from.
  const { source, names } = sourceRegExp(to.split('?')[0]!.replace(/:splat\b/g, '*'), 'cloudflare');
  const match = new RegExp(source).exec(servedPath);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
}

function fill(rule: RedirectRule, values: Record<string, string>): SampleRequest {
  const path = rule.from.replace(/\*/g, () => values.splat ?? 'x').replace(PLACEHOLDER, (_, name: string) => values[name] ?? 'x');
  const query = Object.fromEntries(Object.entries(rule.query).map(([k, v]) => [k, v.startsWith(':') ? values[v.slice(1)] ?? 'x' : v]));
  return { path, query };
}

/**
 * The request to probe a rule with. `served` are the URL paths the site answers at, pages first
 * (`pagePaths`); `exists` says where a file is served (Netlify's shadowing).
 */
export function sampleRequest(rule: RedirectRule, dialect: RedirectDialect, served: readonly string[], exists: (path: string) => boolean): SampleRequest {
  const compiled = compileRules([rule], dialect);
  for (const candidate of served) {
    const values = targetValues(rule.to, candidate);
    if (!values) continue;
    const sample = fill(rule, values);
    const shadowed = dialect === 'netlify' && !rule.force && exists(lookupPath(sample.path, dialect));
    if (!shadowed && resolveRedirect(compiled, { path: sample.path, query: sample.query }, dialect)) return sample;
  }
  return fill(rule, {});
}

/** The URL paths a site's objects answer at, pages in their URL forms (`/blog/a/`, `/blog/a`, `/about`) before raw keys. */
export function pagePaths(keys: readonly string[]): string[] {
  const pages = keys.flatMap((key) => {
    if (key === 'index.html') return ['/'];
    if (key.endsWith('/index.html')) return [`/${key.slice(0, -'index.html'.length)}`, `/${key.slice(0, -'/index.html'.length)}`];
    if (key.endsWith('.html')) return [`/${key.slice(0, -'.html'.length)}`];
    return [];
  });
  return [...new Set([...pages, ...keys.map((key) => `/${key}`)])];
}
