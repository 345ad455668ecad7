/**
 * `_headers` checked on the served site: at a served path each rule matches, every header the
 * file gives that path (all matching rules, in file order) is sent with that value. Headers a
 * Cloudflare `! Name` removes are not asked for, and not asked to be absent either: the origin
 * may send them itself. A rule that matches nothing deployed is a warning of its own rule (a
 * rule has one severity, which the exit status and the JUnit case follow).
 */
import type { Finding, HeaderRuleProbe, Rule } from '../types.js';

/**
 * The six headers CloudFront writes from a policy's `SecurityHeadersConfig` (spec §6.2) rather
 * than as written: `X-Frame-Options` upper-cased, `Strict-Transport-Security` and
 * `X-XSS-Protection` re-serialized from their fields. Compared by meaning, not by bytes.
 */
const SECURITY = new Set(['x-frame-options', 'x-content-type-options', 'referrer-policy', 'content-security-policy', 'strict-transport-security', 'x-xss-protection']);

/** Directives of a `;`-separated value, lower-cased and trimmed. */
const directives = (value: string) =>
  value
    .toLowerCase()
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);

/** Whether a header value sent means the value `_headers` gives. */
export function sameHeaderValue(name: string, expected: string, got: string): boolean {
  const lower = name.toLowerCase();
  if (!SECURITY.has(lower)) return expected.trim() === got.trim();
  // max-age, includeSubDomains and preload, in any order and case.
  if (lower === 'strict-transport-security') return directives(expected).sort().join(';') === directives(got).sort().join(';');
  return directives(expected).join(';') === directives(got).join(';');
}

const lines = (file: string, numbers: readonly number[]) => numbers.map((n) => `${file}:${n}`).join(', ');

function problems(p: HeaderRuleProbe): { header: string; message: string }[] {
  if (p.url === undefined) return [];
  const path = new URL(p.url).pathname;
  if (p.status === undefined || p.status < 200 || p.status >= 300) {
    return [{ header: '', message: `${p.file}:${p.line} (${p.path}) was checked at ${path}, which answers ${p.status || p.error || 'nothing'}: no header could be checked` }];
  }
  return p.expected.flatMap(({ name, value, lines: from }) => {
    const got = p.headers?.[name.toLowerCase()];
    if (got !== undefined && sameHeaderValue(name, value, got)) return [];
    const sent = got === undefined ? 'it is missing' : `got "${got}"`;
    return [{ header: name.toLowerCase(), message: `${lines(p.file, from)}: ${path} should send ${name}: "${value}"; ${sent}` }];
  });
}

export const headersRule: Rule = {
  id: 'headers-rule',
  severity: 'error',
  title: 'every _headers rule is served: a deployed path it matches carries each header the file gives it',
  fix: 'deploy again so the behaviors and response headers policies are the ones _headers compiles to, and serve the site through them',
  check({ headerProbes }) {
    const out: Finding[] = [];
    // Two rules checked at the same path share their headers: each header is reported once.
    const seen = new Set<string>();
    for (const p of headerProbes ?? []) {
      for (const { header, message } of problems(p)) {
        const key = `${p.url} ${header}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ rule: this.id, severity: this.severity, url: p.url!, message });
      }
    }
    return out;
  },
};

export const headersUnmatched: Rule = {
  id: 'headers-unmatched',
  severity: 'warning',
  title: 'every _headers rule matches a deployed path',
  fix: 'correct the rule\'s path (it is compared as sent: "/blog" is not "/blog/"), or remove the rule',
  check({ baseUrl, headerProbes }) {
    return (headerProbes ?? [])
      .filter((p) => p.url === undefined)
      .map((p) => ({ rule: this.id, severity: this.severity, url: `${new URL(baseUrl).origin}${p.path.replace(/[*]/g, '')}`, message: `${p.file}:${p.line} (${p.path}) matches nothing deployed` }));
  },
};
