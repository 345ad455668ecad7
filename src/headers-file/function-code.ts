/**
 * The `_headers` rules no CloudFront path pattern expresses, as entries of edgeship's
 * viewer-response function (src/response-function/code.ts). It sets only the headers
 * compile.ts gave it.
 */
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

/** The rules as the function's entries, in file order, each with only the headers of `names` (lower case) it sets or detaches. */
export function headersFunctionEntries(rules: readonly HeaderRule[], names: readonly string[]): unknown[] {
  const wanted = new Set(names);
  return rules.map((rule) => ruleEntry(rule, wanted)).filter((entry) => entry !== undefined);
}
