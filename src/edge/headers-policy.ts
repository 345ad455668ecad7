/**
 * Response headers policies (spec §6): compiled once from config, applied per response.
 *
 * Order per response (§6.3): the policy's removals first, then security headers, then custom
 * headers, each under its own `override` flag (§6.1): `true` replaces an origin value,
 * `false` keeps it; a header the response lacks is always added. Removing `Server` leaves
 * CloudFront's own `Server: CloudFront` (§6.3, §4.1).
 */
import type { HeadersPolicyConfig } from '../config/schema.js';
import type { ApplyHeadersPolicy, HeaderMap } from './contracts.js';

/** One header the policy sets: lower-case name, value, and the §6.1 flag. */
export interface PolicyHeader {
  name: string;
  value: string;
  override: boolean;
}

/** The managed SecurityHeadersPolicy (§6.5), as edgeship config. */
export const SECURITY_HEADERS_POLICY_ID = '67f7725c-6f97-4210-82d7-5512b31e9d03';
export const SECURITY_HEADERS_POLICY: HeadersPolicyConfig = {
  securityHeaders: {
    referrerPolicy: { policy: 'strict-origin-when-cross-origin', override: false },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubdomains: false, preload: false, override: false },
    contentTypeOptions: { override: true },
    frameOptions: { option: 'SAMEORIGIN', override: false },
    xssProtection: { protection: true, modeBlock: true, override: false },
  },
  customHeaders: [],
  removeHeaders: [],
};

type Security = NonNullable<HeadersPolicyConfig['securityHeaders']>;

/** `max-age=N; includeSubDomains; preload` (§6.2; the `; ` separator is a [gap] choice). */
export function hstsValue(hsts: NonNullable<Security['strictTransportSecurity']>): string {
  return [`max-age=${hsts.maxAge}`, hsts.includeSubdomains ? 'includeSubDomains' : '', hsts.preload ? 'preload' : ''].filter(Boolean).join('; ');
}

/** `0`, `1`, `1; mode=block` or `1; report=<uri>` (§6.2). */
export function xssProtectionValue(xss: NonNullable<Security['xssProtection']>): string {
  if (!xss.protection) return '0';
  if (xss.modeBlock) return '1; mode=block';
  if (xss.reportUri) return `1; report=${xss.reportUri}`;
  return '1';
}

/** The headers a policy sets, in the order they are applied: security headers, then custom headers. */
export function policyHeaders(config: HeadersPolicyConfig): PolicyHeader[] {
  const out: PolicyHeader[] = [];
  const s = config.securityHeaders;
  if (s?.strictTransportSecurity) out.push({ name: 'strict-transport-security', value: hstsValue(s.strictTransportSecurity), override: s.strictTransportSecurity.override });
  if (s?.contentTypeOptions) out.push({ name: 'x-content-type-options', value: 'nosniff', override: s.contentTypeOptions.override });
  if (s?.frameOptions) out.push({ name: 'x-frame-options', value: s.frameOptions.option, override: s.frameOptions.override });
  if (s?.referrerPolicy) out.push({ name: 'referrer-policy', value: s.referrerPolicy.policy, override: s.referrerPolicy.override });
  if (s?.xssProtection) out.push({ name: 'x-xss-protection', value: xssProtectionValue(s.xssProtection), override: s.xssProtection.override });
  if (s?.contentSecurityPolicy) out.push({ name: 'content-security-policy', value: s.contentSecurityPolicy.policy, override: s.contentSecurityPolicy.override });
  for (const h of config.customHeaders) out.push({ name: h.name.toLowerCase(), value: h.value, override: h.override });
  return out;
}

/** Compiles a policy once; the returned function mutates a response's lower-case header map. */
export function compileHeadersPolicy(config: HeadersPolicyConfig): ApplyHeadersPolicy {
  const remove = [...new Set(config.removeHeaders.map((h) => h.toLowerCase()))];
  const removesServer = remove.includes('server');
  const add = policyHeaders(config);
  return (headers: HeaderMap) => {
    for (const name of remove) delete headers[name];
    if (removesServer) headers.server = 'CloudFront';
    for (const h of add) if (h.override || headers[h.name] === undefined) headers[h.name] = h.value;
  };
}
