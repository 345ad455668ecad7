/**
 * `_redirects` checked on the served site: each rule answers as the file says (status and
 * Location), its target is served (200), in one hop (a target that redirects again is a chain),
 * and no rule leads back to a URL already visited (a loop). And, as a warning of its own (a rule
 * has one severity, which the exit status and the JUnit case follow), a Netlify rule that a file
 * shadows: it answers as expected (the file), so only this says the rule never runs there.
 */
import type { Finding, RedirectRuleProbe, Rule, ShadowedRule } from '../types.js';

const isRedirect = (status: number) => status >= 300 && status < 400 && status !== 304;

function sameTarget(location: string | undefined, target: string, url: string): boolean {
  if (location === undefined) return false;
  return new URL(location, url).href === new URL(target, url).href;
}

function check(p: RedirectRuleProbe): string[] {
  const [first, ...after] = p.hops;
  if (!first || !p.expected) return [];
  const { status, target, line } = p.expected;
  const which = line === p.line ? 'this rule' : `line ${line}, which matches first,`;
  if (first.status !== status) return [`answers ${first.status}${first.location ? ` -> ${first.location}` : ''}; ${which} says ${status}${isRedirect(status) ? ` -> ${target}` : ''}`];
  // A rewrite (200, or Netlify's 404 page) answers at the URL asked: its status is all there is to compare.
  if (!isRedirect(status)) return [];
  if (!sameTarget(first.location, target, p.url)) return [`redirects to ${first.location ?? '(no Location)'}; ${which} says ${target}`];
  const seen = new Set([p.url]);
  for (const hop of after) {
    if (seen.has(hop.url)) return [`loops: ${[...seen, hop.url].join(' -> ')}`];
    seen.add(hop.url);
  }
  const last = after[after.length - 1];
  if (!last) return []; // the target is on another site: not requested
  if (isRedirect(last.status) || after.length > 1) return [`a chain of ${p.hops.length - 1} redirects: ${p.hops.map((h) => `${new URL(h.url).pathname}${new URL(h.url).search}`).join(' -> ')}`];
  if (last.status !== 200) return [`its target ${last.url} answers ${last.status || last.error}`];
  return [];
}

export const redirectRules: Rule = {
  id: 'redirect-rule',
  severity: 'error',
  title: 'every _redirects rule answers as written, to a served page, in one hop, without loops',
  fix: 'point the rule at the final URL of a page that is deployed (its canonical slash form included), or fix the rule above it that answers first',
  check({ ruleProbes }) {
    const out: Finding[] = [];
    for (const p of ruleProbes ?? []) {
      for (const message of check(p)) out.push({ rule: this.id, severity: this.severity, url: p.url, message: `_redirects line ${p.line} (${p.rule}) ${message}` });
    }
    return out;
  },
};

function shadowedMessage(s: ShadowedRule): string {
  const where = s.pattern ? `at ${s.path}, the path it was asked at,` : `at ${s.path}`;
  return `_redirects line ${s.line} (${s.rule}) never answers ${where}: the file ${s.file} is served there, and Netlify serves a file over a rule without "!"; add "!" after the status to force it (${s.rule}!), or remove ${s.file} or the rule`;
}

export const redirectShadowed: Rule = {
  id: 'redirect-shadowed',
  severity: 'warning',
  title: 'no Netlify _redirects rule without "!" is shadowed by a file served at its source path',
  fix: 'add "!" after the status to force it (`/old /new 301!`), or remove the file or the rule',
  check({ shadowedRules }) {
    return (shadowedRules ?? []).map((s) => ({ rule: this.id, severity: this.severity, url: s.url, message: shadowedMessage(s) }));
  },
};
