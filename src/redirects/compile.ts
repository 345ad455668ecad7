/**
 * Splits the rules between the two places CloudFront can hold them: exact paths in the
 * KeyValueStore (one key each, any number of them within its 5 MB), patterns in the
 * function's code (10 KB). Pure: the site's files come in as a list.
 */
import { KVS_KEYS } from '../kvs/keys.js';
import { kvsLimitProblem } from '../kvs/limits.js';
import { compileRules, lookupPath, resolveRedirect } from './match.js';
import { isPatternRule, type RedirectDialect, type RedirectRule } from './types.js';

export interface CompiledRedirects {
  dialect: RedirectDialect;
  /** Rules that need code, in file order. */
  patterns: RedirectRule[];
  /** `es:r:<path>` -> `<line> <status> <target>`, `e` first where a file exists there. */
  kvs: Record<string, string>;
  /** Rules that can never answer, with why (shown by `explain`, not errors: both platforms accept them). */
  unused: { rule: RedirectRule; why: string }[];
  /** A KeyValueStore limit the entries would pass, naming the key. */
  limitProblem?: string;
}

/**
 * The URL paths at which a site's files are served, for Netlify's shadowing: `about.html` is
 * also `/about` (Netlify's pretty URLs), `blog/index.html` is also `/blog` and `/blog/`.
 * Each path maps to the first key served there, so a finding can name the file.
 */
export function servedFiles(keys: Iterable<string>): Map<string, string> {
  const files = new Map<string, string>();
  const add = (path: string, key: string) => {
    if (!files.has(path)) files.set(path, key);
  };
  for (const key of keys) {
    add(`/${key}`, key);
    if (key === 'index.html') add('/', key);
    else if (key.endsWith('/index.html')) add(`/${key.slice(0, -'/index.html'.length)}`, key);
    else if (key.endsWith('.html')) add(`/${key.slice(0, -'.html'.length)}`, key);
  }
  return files;
}

export function servedPaths(keys: Iterable<string>): Set<string> {
  return new Set(servedFiles(keys).keys());
}

export function compileRedirects(rules: readonly RedirectRule[], dialect: RedirectDialect, files: Iterable<string> = []): CompiledRedirects {
  const patterns = rules.filter(isPatternRule);
  const compiledPatterns = compileRules(patterns, dialect);
  const existing = new Set([...servedPaths(files)].map((p) => lookupPath(p, dialect)));
  const kvs: Record<string, string> = {};
  const unused: CompiledRedirects['unused'] = [];
  const taken = new Map<string, RedirectRule>();

  for (const rule of rules) {
    if (isPatternRule(rule)) continue;
    const key = lookupPath(rule.from, dialect);
    const first = taken.get(key);
    if (first) {
      unused.push({ rule, why: `line ${first.line} has the same source and comes first` });
      continue;
    }
    taken.set(key, rule);
    if (existing.has(key) && !rule.force) {
      unused.push({ rule, why: `a file is served at ${rule.from}, and a rule without "!" does not shadow it (Netlify)` });
      continue;
    }
    // An unconditional pattern above the exact rule that matches its path answers first.
    const above = compiledPatterns.filter((c) => c.rule.line < rule.line && Object.keys(c.rule.query).length === 0 && !c.rule.conditions.country && !c.rule.conditions.language);
    const earlier = resolveRedirect(above, { path: key, fileExists: existing.has(key) }, dialect);
    if (earlier) {
      unused.push({ rule, why: `line ${earlier.rule.line} (${earlier.rule.from}) matches it and comes first` });
      continue;
    }
    kvs[KVS_KEYS.redirect + key] = `${rule.line} ${rule.status} ${rule.to}`;
  }
  // Netlify: an existing file shadows a pattern rule without "!", so the function must know it is there.
  const shadowable = compiledPatterns.filter((c) => !c.rule.force);
  if (shadowable.length > 0) {
    for (const path of existing) {
      if (!shadowable.some((c) => c.regExp.test(path))) continue;
      const key = KVS_KEYS.redirect + path;
      kvs[key] = kvs[key] === undefined ? 'e' : `e ${kvs[key]}`;
    }
  }
  const limitProblem = kvsLimitProblem(Object.entries(kvs));
  return { dialect, patterns, kvs, unused, ...(limitProblem ? { limitProblem } : {}) };
}
