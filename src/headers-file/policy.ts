/**
 * The headers of the `_headers` rules that match a path, as one CloudFront response headers
 * policy. The six security headers CloudFront sets from `SecurityHeadersConfig` (spec §6.2)
 * go there; every other header is a custom header (§6.3). All override the origin's value:
 * both platforms say their headers replace what they would send otherwise.
 */
import type { HeadersPolicyConfig } from '../config/schema.js';
import type { HeaderRule } from './parse.js';

type Security = NonNullable<HeadersPolicyConfig['securityHeaders']>;
const REFERRER = ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url'] as const;

/** Headers of the rules in file order; a repeated name gets its values joined with ", "; `! Name` removes one. */
export function mergedHeaders(rules: readonly HeaderRule[]): Map<string, { name: string; value: string }> {
  const headers = new Map<string, { name: string; value: string }>();
  for (const rule of rules) {
    for (const name of rule.detach) headers.delete(name);
    for (const { name, value } of rule.set) {
      const had = headers.get(name.toLowerCase());
      headers.set(name.toLowerCase(), had ? { name: had.name, value: `${had.value}, ${value}` } : { name, value });
    }
  }
  return headers;
}

/** A security header's value as `SecurityHeadersConfig`, or `undefined` when the value has another form. */
function securityHeader(name: string, value: string): Partial<Security> | undefined {
  const v = value.trim();
  switch (name) {
    case 'x-frame-options':
      return /^(DENY|SAMEORIGIN)$/i.test(v) ? { frameOptions: { option: v.toUpperCase() as 'DENY' | 'SAMEORIGIN', override: true } } : undefined;
    case 'x-content-type-options':
      return /^nosniff$/i.test(v) ? { contentTypeOptions: { override: true } } : undefined;
    case 'referrer-policy':
      return (REFERRER as readonly string[]).includes(v) ? { referrerPolicy: { policy: v as (typeof REFERRER)[number], override: true } } : undefined;
    case 'content-security-policy':
      return v.length <= 1_783 ? { contentSecurityPolicy: { policy: v, override: true } } : undefined;
    case 'strict-transport-security': {
      const m = /^max-age=(\d+)((?:\s*;\s*(?:includeSubDomains|preload))*)\s*;?$/i.exec(v);
      if (!m) return undefined;
      return { strictTransportSecurity: { maxAge: Number(m[1]), includeSubdomains: /includeSubDomains/i.test(m[2]!), preload: /preload/i.test(m[2]!), override: true } };
    }
    case 'x-xss-protection': {
      const m = /^([01])(?:\s*;\s*(mode=block|report=(\S+)))?$/i.exec(v);
      if (!m) return undefined;
      return { xssProtection: { protection: m[1] === '1', modeBlock: /mode=block/i.test(m[2] ?? ''), ...(m[3] ? { reportUri: m[3] } : {}), override: true } };
    }
    default:
      return undefined;
  }
}

const SECURITY = new Set(['x-frame-options', 'x-content-type-options', 'referrer-policy', 'content-security-policy', 'strict-transport-security', 'x-xss-protection']);

/** Why a response headers policy cannot send this header with this value (spec §6.2), or `undefined` when it can. */
export function policyValueProblem(name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  if (!SECURITY.has(lower) || securityHeader(lower, value)) return undefined;
  return `${name}: "${value}" is not a value CloudFront's security headers take (spec §6.2)`;
}

/**
 * The policy for a path the rules match, on top of the behavior's own policy (when it has one).
 * Headers named in `exclude` (lower case) are left out: the viewer-response function sets
 * those on that behavior (compile.ts), and the two must not both write one header.
 */
export function rulesPolicy(rules: readonly HeaderRule[], base: HeadersPolicyConfig | undefined, exclude: ReadonlySet<string> = new Set()): { policy: HeadersPolicyConfig; problem?: string } {
  const securityHeaders: Security = { ...base?.securityHeaders };
  const custom = new Map((base?.customHeaders ?? []).map((h) => [h.name.toLowerCase(), h]));
  const problems: string[] = [];
  for (const [lower, { name, value }] of mergedHeaders(rules)) {
    if (exclude.has(lower)) continue;
    if (SECURITY.has(lower)) {
      const config = securityHeader(lower, value);
      if (config) Object.assign(securityHeaders, config);
      else problems.push(policyValueProblem(name, value)!);
      continue;
    }
    custom.set(lower, { name, value, override: true });
  }
  const customHeaders = [...custom.values()];
  if (customHeaders.length > 10) problems.push(`${customHeaders.length} custom headers for one path; a CloudFront policy holds 10`);
  const policy: HeadersPolicyConfig = { ...(Object.keys(securityHeaders).length ? { securityHeaders } : {}), customHeaders, removeHeaders: base?.removeHeaders ?? [] };
  return problems.length ? { policy, problem: problems.join('; ') } : { policy };
}
