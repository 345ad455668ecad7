/**
 * `_headers` compiled onto the behavior table, so the local edge, `synth` and `audit` agree:
 * each rule's path becomes a CloudFront path pattern (`/static/*` is `static/*`: both platforms'
 * splat and CloudFront's `*` match any run of characters, `/` included), and each behavior
 * gets a response headers policy with every rule that matches all of its paths.
 *
 * A rule inside an existing behavior is inserted just before it, with that behavior's cache
 * intent and functions; a rule that matches a whole behavior adds its headers to it. Two
 * patterns of the forms used here (an exact path, or a prefix then `*`) are nested or
 * disjoint, so this is exact; a rule that only partly overlaps a behavior of another form
 * (`*.js`), or that has placeholders, cannot be expressed this way and is refused by line.
 */
import { globMatch, patternProblem } from '../behavior/pattern.js';
import type { BehaviorConfig, HeadersPolicyConfig } from '../config/schema.js';
import type { RuleProblem } from '../redirects/types.js';
import type { HeaderRule } from './parse.js';
import { rulesPolicy } from './policy.js';

/** CloudFront: at most 75 behaviors besides the default (spec §1.2). */
const MAX_BEHAVIORS = 75;

export interface CompiledHeaders {
  behaviors: BehaviorConfig[];
  headersPolicies: Record<string, HeadersPolicyConfig>;
  problems: RuleProblem[];
}

/** The literal part of a pattern before its first wildcard, without the leading `/`. */
function literalPrefix(pattern: string): string {
  const p = pattern.replace(/^\//, '');
  const wild = p.search(/[*?]/);
  return wild === -1 ? p : p.slice(0, wild);
}

const isExact = (p: string) => !/[*?]/.test(p);
const isPrefix = (p: string) => /^[^*?]*\*$/.test(p.replace(/^\//, ''));

/** Whether every path `inner` matches also matches `outer`. */
export function covers(outer: string, inner: string): boolean {
  const o = outer.replace(/^\//, '');
  const i = inner.replace(/^\//, '');
  if (isExact(o)) return o === i;
  if (isExact(i)) return globMatch(o, i);
  return isPrefix(o) && literalPrefix(i).startsWith(literalPrefix(o));
}

function intersects(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  if (isExact(a)) return globMatch(b.replace(/^\//, ''), a.replace(/^\//, ''));
  if (isExact(b)) return globMatch(a.replace(/^\//, ''), b.replace(/^\//, ''));
  return pa.startsWith(pb) || pb.startsWith(pa);
}

export function compileHeaders(rules: readonly HeaderRule[], behaviors: readonly BehaviorConfig[], policies: Readonly<Record<string, HeadersPolicyConfig>>, file: string): CompiledHeaders {
  const problems: RuleProblem[] = [];
  const bad = (rule: HeaderRule, message: string, fix: string) => problems.push({ file, line: rule.line, text: rule.path, message, fix });
  const usable = rules.filter((rule) => {
    if (/:[A-Za-z]/.test(rule.path) || !(isExact(rule.path) || isPrefix(rule.path))) {
      bad(rule, `"${rule.path}" has placeholders or a "*" before its end, which no CloudFront path pattern expresses`, 'write the path as an exact path or a prefix ending in "*" (such as /blog/*)');
      return false;
    }
    const problem = patternProblem(rule.path.replace(/^\//, ''));
    if (problem) {
      bad(rule, `"${rule.path}" ${problem}`, 'a behavior pattern takes only those characters: match the path with a prefix ending in "*" instead');
      return false;
    }
    return true;
  });
  // Where each rule lands: before the first behavior that holds all of its paths.
  const inserted = new Map<number, HeaderRule[]>();
  for (const rule of usable) {
    for (const [index, b] of behaviors.entries()) {
      if (covers(rule.path, b.path)) continue;
      if (covers(b.path, rule.path)) {
        if (b.path.replace(/^\//, '') !== rule.path.replace(/^\//, '')) inserted.set(index, [...(inserted.get(index) ?? []), rule]);
        break;
      }
      if (intersects(rule.path, b.path)) {
        bad(rule, `"${rule.path}" takes part of behavior ${b.path} (behaviors[${index}]), which a CloudFront pattern cannot split`, `give ${b.path} a pattern that holds all of "${rule.path}" or none of it`);
        break;
      }
    }
  }
  const out: BehaviorConfig[] = [];
  const names = new Map<string, string>();
  const newPolicies: Record<string, HeadersPolicyConfig> = {};
  const withHeaders = (b: BehaviorConfig, pattern: string, rule?: HeaderRule): BehaviorConfig => {
    const matching = usable.filter((r) => covers(r.path, pattern));
    if (matching.length === 0) return { ...b, path: pattern };
    const { policy, problem } = rulesPolicy(matching, b.headers === undefined ? undefined : policies[b.headers]);
    if (problem) bad(rule ?? matching[matching.length - 1]!, problem, 'keep at most 10 headers besides the security headers per path (CloudFront, spec §6.3)');
    const key = JSON.stringify(policy);
    let name = names.get(key);
    if (!name) {
      name = `headers-file-${names.size + 1}`;
      names.set(key, name);
      newPolicies[name] = policy;
    }
    return { ...b, path: pattern, headers: name };
  };
  behaviors.forEach((b, index) => {
    // More specific first: exact paths, then longer prefixes.
    const here = [...(inserted.get(index) ?? [])].sort((x, y) => Number(isExact(y.path)) - Number(isExact(x.path)) || y.path.length - x.path.length);
    for (const rule of here) out.push(withHeaders({ ...b, path: rule.path.replace(/^\//, '') }, rule.path.replace(/^\//, ''), rule));
    out.push(withHeaders(b, b.path));
  });
  if (out.length - 1 > MAX_BEHAVIORS) {
    problems.push({ file, line: rules[0]?.line ?? 1, text: '', message: `the table would have ${out.length - 1} behaviors besides the default; CloudFront allows ${MAX_BEHAVIORS}`, fix: 'merge paths into fewer prefix rules' });
  }
  // A rule's problem shows once, however many behaviors it reaches.
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.line === p.line && q.message === p.message) === i);
  return { behaviors: out, headersPolicies: { ...policies, ...newPolicies }, problems: unique };
}
