import { describe, expect, it } from 'vitest';
import type { HeadersPolicyConfig } from '../config/schema.js';
import { configSchema } from '../config/schema.js';
import type { HeaderMap } from './contracts.js';
import { compileHeadersPolicy, SECURITY_HEADERS_POLICY } from './headers-policy.js';

const GET = { method: 'GET', headers: {} };

/** A policy as `edgeship.config.ts` would give it, parsed by the real schema (defaults applied). */
function policy(input: unknown): HeadersPolicyConfig {
  const parsed = configSchema.parse({ headersPolicies: { p: input } });
  return parsed.headersPolicies.p as HeadersPolicyConfig;
}

function apply(config: HeadersPolicyConfig, headers: HeaderMap): HeaderMap {
  const copy = { ...headers };
  compileHeadersPolicy(config)(copy, GET);
  return copy;
}

describe('§11 case 27: SecurityHeadersPolicy (§6.5)', () => {
  it('keeps the origin X-Frame-Options (override no) and replaces X-Content-Type-Options (override yes)', () => {
    const out = apply(SECURITY_HEADERS_POLICY, { 'x-frame-options': 'DENY', 'x-content-type-options': 'foo' });
    expect(out['x-frame-options']).toBe('DENY');
    expect(out['x-content-type-options']).toBe('nosniff');
  });

  it('adds SAMEORIGIN and nosniff when the origin sent neither, and the other managed values', () => {
    expect(apply(SECURITY_HEADERS_POLICY, { 'content-type': 'text/html' })).toEqual({
      'content-type': 'text/html',
      'strict-transport-security': 'max-age=31536000',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-xss-protection': '1; mode=block',
    });
  });

  it('the managed policy is valid edgeship config', () => {
    expect(policy(SECURITY_HEADERS_POLICY)).toEqual(SECURITY_HEADERS_POLICY);
  });
});

describe('§11 case 27: custom policies (§6.3)', () => {
  it('a policy that removes Server leaves Server: CloudFront', () => {
    expect(apply(policy({ removeHeaders: ['Server'] }), { server: 'AmazonS3', 'x-a': '1' })).toEqual({ server: 'CloudFront', 'x-a': '1' });
  });

  it('a policy that removes and adds X-Foo ends with X-Foo present with the policy value (removal first)', () => {
    const config = policy({ removeHeaders: ['X-Foo'], customHeaders: [{ name: 'X-Foo', value: 'policy' }] });
    expect(apply(config, { 'x-foo': 'origin' })).toEqual({ 'x-foo': 'policy' });
    expect(apply(config, {})).toEqual({ 'x-foo': 'policy' });
  });
});

describe('§6.1 override flag', () => {
  it.each([
    [true, 'origin', 'policy'],
    [false, 'origin', 'origin'],
    [true, undefined, 'policy'],
    [false, undefined, 'policy'],
  ])('override=%s, origin value %s -> %s', (override, origin, expected) => {
    const config = policy({ customHeaders: [{ name: 'X-Custom', value: 'policy', override }] });
    expect(apply(config, origin === undefined ? {} : { 'x-custom': origin })['x-custom']).toBe(expected);
  });

  it('an empty custom value is allowed and set (§6.3)', () => {
    expect(apply(policy({ customHeaders: [{ name: 'X-Empty', value: '' }] }), {})).toEqual({ 'x-empty': '' });
  });
});

describe('§6.2 security header values', () => {
  it.each([
    [{ maxAge: '1y' }, 'max-age=31536000'],
    [{ maxAge: 600, includeSubdomains: true }, 'max-age=600; includeSubDomains'],
    [{ maxAge: '730d', includeSubdomains: true, preload: true }, 'max-age=63072000; includeSubDomains; preload'],
    [{ maxAge: 0, preload: true }, 'max-age=0; preload'],
  ])('Strict-Transport-Security %j -> %s', (hsts, expected) => {
    expect(apply(policy({ securityHeaders: { strictTransportSecurity: hsts } }), {})['strict-transport-security']).toBe(expected);
  });

  it.each([
    [{ protection: false }, '0'],
    [{ protection: true }, '1'],
    [{ protection: true, modeBlock: true }, '1; mode=block'],
    [{ protection: true, reportUri: 'https://r.example.com/xss' }, '1; report=https://r.example.com/xss'],
  ])('X-XSS-Protection %j -> %s', (xss, expected) => {
    expect(apply(policy({ securityHeaders: { xssProtection: xss } }), {})['x-xss-protection']).toBe(expected);
  });

  it('CSP, frame options and referrer policy with override replace origin values', () => {
    const config = policy({
      securityHeaders: {
        contentSecurityPolicy: { policy: "default-src 'self'", override: true },
        frameOptions: { option: 'DENY', override: true },
        referrerPolicy: { policy: 'no-referrer', override: true },
      },
    });
    expect(apply(config, { 'content-security-policy': 'x', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'unsafe-url' })).toEqual({
      'content-security-policy': "default-src 'self'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });

  it('a compiled policy applied twice gives the same headers (no state between responses)', () => {
    const applyPolicy = compileHeadersPolicy(SECURITY_HEADERS_POLICY);
    const a: HeaderMap = { 'x-frame-options': 'DENY' };
    const b: HeaderMap = {};
    applyPolicy(a, GET);
    applyPolicy(b, GET);
    expect(a['x-frame-options']).toBe('DENY');
    expect(b['x-frame-options']).toBe('SAMEORIGIN');
  });
});
