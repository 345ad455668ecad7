/**
 * `_headers` compiled onto the behavior table, so the local edge, `synth` and `audit` agree.
 *
 * Where CloudFront's path patterns can say it, a rule is a behavior: its path becomes a pattern
 * (`/static/*` is `static/*`: both platforms' splat and CloudFront's `*` match any run of
 * characters, `/` included), inserted just before the behavior that holds it, with that
 * behavior's cache intent and functions; a rule that holds a whole behavior (`/*`) adds its
 * headers to it. Each behavior gets one response headers policy with every rule that matches
 * all of its paths.
 *
 * The rest, the "function rules", go to a viewer-response function (function-code.ts): a path
 * with placeholders or a `*` before its end, characters no pattern takes, a path that takes part
 * of a behavior of another form (`/assets/*` across `*.js`), or a value CloudFront's security
 * headers cannot carry. The function runs on every behavior such a rule can reach and sets the
 * headers those rules name, merged over all rules as the platforms merge them; the policies of
 * those behaviors leave those names out, so a header has one writer whatever order CloudFront
 * runs the two in (spec §0 step 12, not documented).
 */
import { stripLeadingSlash } from '../behavior/pattern.js';
import type { BehaviorConfig, HeadersPolicyConfig } from '../config/schema.js';
import { isDisallowedHeader, READ_ONLY_HEADERS } from '../edge/functions/validate.js';
import { policyHeaders } from '../edge/headers-policy.js';
import type { RuleProblem } from '../redirects/types.js';
import type { HeaderRule } from './parse.js';
import { covers, globsIntersect, isExact, patternFormProblem, ruleGlob } from './patterns.js';
import { policyValueProblem, rulesPolicy } from './policy.js';

/** CloudFront: at most 75 behaviors besides the default (spec §1.2). */
const MAX_BEHAVIORS = 75;

export interface CompiledHeaders {
  /** The table with `_headers` behaviors inserted; those at `functionAt` need the viewer-response function. */
  behaviors: BehaviorConfig[];
  headersPolicies: Record<string, HeadersPolicyConfig>;
  /** The header names (lower case) the viewer-response function sets; empty when no rule needs it. */
  functionHeaders: string[];
  /** Indexes into `behaviors` of those the function runs on. */
  functionAt: number[];
  problems: RuleProblem[];
}

/** Why a rule cannot be a behavior with a policy, or `undefined` when it can (before placing it). */
function needsFunction(rule: HeaderRule): string | undefined {
  const form = patternFormProblem(rule.path);
  if (form) return `"${rule.path}" ${form}`;
  for (const { name, value } of rule.set) {
    const problem = policyValueProblem(name, value);
    if (problem) return problem;
  }
  return undefined;
}

export function compileHeaders(rules: readonly HeaderRule[], behaviors: readonly BehaviorConfig[], policies: Readonly<Record<string, HeadersPolicyConfig>>, file: string): CompiledHeaders {
  const problems: RuleProblem[] = [];
  const bad = (rule: HeaderRule, message: string, fix: string) => problems.push({ file, line: rule.line, text: rule.path, message, fix });
  const viaFunction = new Set(rules.filter((rule) => needsFunction(rule) !== undefined));

  // Where each other rule lands: before the first behavior that holds all of its paths.
  const inserted = new Map<number, HeaderRule[]>();
  for (const rule of rules) {
    if (viaFunction.has(rule)) continue;
    for (const [index, b] of behaviors.entries()) {
      if (covers(rule.path, b.path)) continue;
      if (covers(b.path, rule.path)) {
        if (stripLeadingSlash(b.path) !== stripLeadingSlash(rule.path)) inserted.set(index, [...(inserted.get(index) ?? []), rule]);
        break;
      }
      if (globsIntersect(ruleGlob(rule.path), ruleGlob(b.path))) {
        // Part of this behavior only: no pattern splits it, the function takes the rule.
        viaFunction.add(rule);
        break;
      }
    }
  }
  for (const rule of viaFunction) {
    for (const { name } of rule.set) {
      if (isDisallowedHeader(name) || READ_ONLY_HEADERS['viewer-response'].includes(name.toLowerCase())) {
        bad(rule, `${name} cannot be set by a viewer-response function (spec §7.4), and "${rule.path}" needs one: ${needsFunction(rule) ?? 'it takes part of a behavior'}`, 'remove the header, or write the path as an exact path or a prefix ending in "*" inside one behavior');
      }
    }
  }
  const functionHeaders = [...new Set([...viaFunction].flatMap((r) => [...r.set.map((h) => h.name.toLowerCase()), ...r.detach]))];
  const exclude = new Set(functionHeaders);

  const placed = rules.filter((rule) => !viaFunction.has(rule));
  const out: BehaviorConfig[] = [];
  const functionAt: number[] = [];
  const names = new Map<string, string>();
  const newPolicies: Record<string, HeadersPolicyConfig> = {};
  const withHeaders = (b: BehaviorConfig, pattern: string, rule?: HeaderRule): BehaviorConfig => {
    const reacher = [...viaFunction].find((r) => globsIntersect(ruleGlob(r.path), ruleGlob(pattern)));
    const base = b.headers === undefined ? undefined : policies[b.headers];
    if (reacher) {
      functionAt.push(out.length);
      const own = b.functions?.viewerResponse;
      if (own) bad(reacher, `"${reacher.path}" needs edgeship's viewer-response function on behavior ${pattern}, which already runs ${own} (CloudFront allows one per event, spec §7)`, `set these headers in ${own}, or write the path as an exact path or a prefix ending in "*" inside one behavior`);
      // The policy's own headers and the function's must not meet: which runs last is not documented.
      const clash = base && [...policyHeaders(base).map((h) => h.name), ...base.removeHeaders.map((h) => h.toLowerCase())].find((name) => exclude.has(name));
      if (clash) bad(reacher, `${clash} is set by headers policy ${b.headers} on behavior ${pattern} and by _headers on paths of it the viewer-response function serves`, `set ${clash} in one place: _headers or the policy`);
    }
    // Applied to this behavior's paths by the policy: the rules that match all of them.
    const matching = placed.filter((r) => covers(r.path, pattern));
    if (matching.length === 0) return { ...b, path: pattern };
    const { policy, problem } = rulesPolicy(matching, base, reacher ? exclude : new Set());
    if (problem) bad(rule ?? matching[matching.length - 1]!, problem, 'keep at most 10 headers besides the security headers per path (CloudFront, spec §6.3)');
    // Every header these rules set is the function's here: no policy to add.
    if (!base && !policy.securityHeaders && policy.customHeaders.length === 0) return { ...b, path: pattern };
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
    for (const rule of here) out.push(withHeaders({ ...b, path: stripLeadingSlash(rule.path) }, stripLeadingSlash(rule.path), rule));
    out.push(withHeaders(b, b.path));
  });
  if (out.length - 1 > MAX_BEHAVIORS) {
    problems.push({ file, line: rules[0]?.line ?? 1, text: '', message: `the table would have ${out.length - 1} behaviors besides the default; CloudFront allows ${MAX_BEHAVIORS}`, fix: 'merge paths into fewer prefix rules' });
  }
  // A rule's problem shows once, however many behaviors it reaches.
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.line === p.line && q.message === p.message) === i);
  return { behaviors: out, headersPolicies: { ...policies, ...newPolicies }, functionHeaders, functionAt, problems: unique };
}
