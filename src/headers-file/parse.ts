/**
 * Reads a `_headers` file: blocks of a path line followed by indented `Name: value` lines.
 * - Netlify (https://docs.netlify.com/routing/headers/): every rule whose path matches applies;
 *   a header given more than once in one rule is sent with its values joined by ", ", and a
 *   later rule that sets a header replaces what an earlier one set (@netlify/headers-parser
 *   merge.ts: "the later one overrides (does not concatenate)"; netlify-cli `headersForPath`
 *   merges the matching rules with Object.assign). Read here as the rule detaching the names
 *   it sets before setting them, so every consumer of `detach` merges alike.
 * - Cloudflare Pages (https://developers.cloudflare.com/pages/configuration/headers/): the same,
 *   "An incoming request which matches multiple rules' URL patterns will inherit all rules'
 *   headers", values joined with a comma; an indented `! Name` detaches a header an earlier
 *   rule attached; a rule's path may be an absolute URL, which here applies only when its host is
 *   the site's `domain` (a `*.pages.dev` rule is left out, with a warning).
 * Every bad line is reported, with its line and the fix.
 */
import { foreignHost, type SiteHosts } from '../redirects/hosts.js';
import type { RedirectDialect, RuleProblem } from '../redirects/types.js';

export interface HeaderRule {
  line: number;
  path: string;
  /** In file order; the same name may appear again (values are joined). */
  set: { name: string; value: string }[];
  /** Lower-case names removed from what earlier rules set: Cloudflare `! Name`; under Netlify, every name the rule sets. */
  detach: string[];
}

export function parseHeaders(text: string, dialect: RedirectDialect, file = '_headers', hosts: SiteHosts = {}): { rules: HeaderRule[]; problems: RuleProblem[]; skipped: RuleProblem[] } {
  const rules: HeaderRule[] = [];
  const problems: RuleProblem[] = [];
  const skipped: RuleProblem[] = [];
  let current: HeaderRule | undefined;
  // Inside the block of a rule left out: its headers go with it.
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const bad = (message: string, fix: string) => problems.push({ file, line, text: trimmed, message, fix });
    if (!/^\s/.test(raw)) {
      // A path line opens a block; Cloudflare also takes an absolute URL ("https://myproject.pages.dev/*").
      const url = dialect === 'cloudflare' ? /^https:\/\/([^/]+)(\/.*)?$/i.exec(trimmed) : null;
      skipping = false;
      current = undefined;
      if (url) {
        const foreign = foreignHost(url[1]!, hosts, 'Cloudflare Pages');
        if (foreign) {
          skipping = true;
          skipped.push({ file, line, text: trimmed, ...foreign });
          return;
        }
      } else if (!trimmed.startsWith('/')) {
        // One problem for the block: its headers are not reported again as headers without a path.
        skipping = true;
        return void bad(`"${trimmed}" is neither a path (starting with "/") nor an indented header`, 'start the block with a path such as /static/*, and indent its headers');
      }
      current = { line, path: url ? (url[2] ?? '/') : trimmed, set: [], detach: [] };
      rules.push(current);
      return;
    }
    if (skipping) return;
    if (!current) return void bad('a header before any path', 'put a path line such as /* above the headers');
    if (trimmed.startsWith('!')) {
      if (dialect !== 'cloudflare') return void bad('"! Name" is Cloudflare syntax', 'remove the line, or set platformFiles.dialect to "cloudflare"');
      current.detach.push(trimmed.slice(1).trim().toLowerCase());
      return;
    }
    const colon = trimmed.indexOf(':');
    const name = colon === -1 ? '' : trimmed.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return void bad(`"${trimmed}" is not "Name: value"`, 'write each header as Name: value, indented under its path');
    current.set.push({ name, value: trimmed.slice(colon + 1).trim() });
  });
  if (dialect === 'netlify') for (const rule of rules) rule.detach = [...new Set(rule.set.map((h) => h.name.toLowerCase()))];
  return { rules, problems, skipped };
}
