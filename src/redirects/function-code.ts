/**
 * The `_redirects` rules as code inside the viewer-request function: the block between the
 * `// edgeship:redirects begin` and `end` lines of the url-handler is replaced by the
 * interpreter of templates/redirects.js with this site's pattern rules. CloudFront allows a
 * function 10 KB of code (spec §7.5): what does not fit is refused, saying how many rules fit.
 */
import { MAX_CODE_BYTES } from '../edge/functions/source.js';
import { compactTemplate } from '../edge/functions/template.js';
import { sourceRegExp } from './match.js';
import type { RedirectDialect, RedirectRule } from './types.js';

export const BLOCK_BEGIN = '// edgeship:redirects begin';
export const BLOCK_END = '// edgeship:redirects end';
const IMPORT = "import cf from 'cloudfront';";

/** One pattern rule as the interpreter's array: [line, source, names, target, status, force, query, countries, languages]. */
export function ruleEntry(rule: RedirectRule, dialect: RedirectDialect): unknown[] {
  const { source, names } = sourceRegExp(rule.from, dialect);
  const query = Object.keys(rule.query).length ? rule.query : 0;
  const entry: unknown[] = [rule.line, source, names.join(','), rule.to, rule.status, rule.force ? 1 : 0, query, rule.conditions.country?.join(',') ?? 0, rule.conditions.language?.join(',') ?? 0];
  // Trailing zeros left out: the interpreter reads a missing field as undefined, as falsy as 0.
  while (entry.length > 5 && entry[entry.length - 1] === 0) entry.pop();
  return entry;
}

export interface FunctionBlockInput {
  patterns: readonly RedirectRule[];
  dialect: RedirectDialect;
  /** Whether any exact path or shadowing marker is in the KeyValueStore (one read per request). */
  usesKvs: boolean;
}

/** The code that replaces the block. */
export function redirectsBlock(input: FunctionBlockInput): string {
  const rules = `[\n${input.patterns.map((r) => JSON.stringify(ruleEntry(r, input.dialect))).join(',\n')}\n]`;
  const values: Record<string, string> = { __RULES__: rules, __KVS__: String(input.usesKvs), __TRIM__: String(input.dialect === 'netlify') };
  return compactTemplate('redirects.js').replace(/__[A-Z]+__/g, (name) => values[name] ?? name);
}

export type SpliceResult = { ok: true; code: string; bytes: number } | { ok: false; reason: 'no-block' } | { ok: false; reason: 'too-large'; bytes: number; fit: number };

/**
 * The function source with the block replaced, or why not: the file has no block, or the code
 * would pass 10 KB (then `fit` is how many of the pattern rules, from the top, would fit).
 */
export function spliceRedirects(source: string, input: FunctionBlockInput): SpliceResult {
  const begin = source.indexOf(BLOCK_BEGIN);
  const end = source.indexOf(BLOCK_END, begin);
  if (begin === -1 || end === -1) return { ok: false, reason: 'no-block' };
  const render = (patterns: readonly RedirectRule[]) => {
    const head = input.usesKvs && !source.includes(IMPORT) ? `${IMPORT}\n` : '';
    return `${head}${source.slice(0, begin)}${redirectsBlock({ ...input, patterns })}${source.slice(end + BLOCK_END.length)}`;
  };
  const code = render(input.patterns);
  const bytes = Buffer.byteLength(code);
  if (bytes <= MAX_CODE_BYTES) return { ok: true, code, bytes };
  let fit = 0;
  // Bounded by the rule count; each step renders once (a few KB).
  while (fit < input.patterns.length && Buffer.byteLength(render(input.patterns.slice(0, fit + 1))) <= MAX_CODE_BYTES) fit++;
  return { ok: false, reason: 'too-large', bytes, fit };
}
