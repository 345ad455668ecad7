/**
 * The `_headers` rules no CloudFront path pattern expresses, as a viewer-response function
 * (templates/headers-response.js). It sets only the headers compile.ts gave it; CloudFront
 * allows a function 10 KB of code (spec §7.5), and what does not fit is refused.
 */
import { MAX_CODE_BYTES } from '../edge/functions/source.js';
import { compactTemplate } from '../edge/functions/template.js';
import { headerPathSource } from './match.js';
import type { HeaderRule } from './parse.js';

/** The request header the url-handler keeps the viewer's path in (templates/url-handler.js). */
export const PATH_HEADER = 'x-edgeship-path';

/** One rule as the function's array, or `undefined` when it sets none of `names`. */
function ruleEntry(rule: HeaderRule, names: ReadonlySet<string>): unknown[] | undefined {
  const set = rule.set.filter((h) => names.has(h.name.toLowerCase())).map((h) => [h.name.toLowerCase(), h.value]);
  const detach = rule.detach.filter((name) => names.has(name));
  if (set.length === 0 && detach.length === 0) return undefined;
  return [rule.line, headerPathSource(rule.path), set, detach];
}

/** The function's code, and its size in bytes (over MAX_CODE_BYTES means CloudFront refuses it). */
export function headersFunctionCode(rules: readonly HeaderRule[], names: readonly string[]): { code: string; bytes: number; fits: boolean } {
  const wanted = new Set(names);
  const entries = rules.map((rule) => ruleEntry(rule, wanted)).filter((entry) => entry !== undefined);
  const code = compactTemplate('headers-response.js').replace('__RULES__', `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]`);
  const bytes = Buffer.byteLength(code);
  return { code, bytes, fits: bytes <= MAX_CODE_BYTES };
}
