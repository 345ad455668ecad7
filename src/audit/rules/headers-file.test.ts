import { describe, expect, it } from 'vitest';
import { sameHeaderValue } from './headers-file.js';

describe('headers-rule: a value sent means the value _headers gives', () => {
  it.each([
    ['X-Robots-Tag', 'noindex', ' noindex ', true],
    ['X-Robots-Tag', 'noindex', 'NOINDEX', false],
    ['Access-Control-Allow-Origin', '*', 'https://a.example', false],
    ['Cache-Control', 'max-age=0, no-cache', 'max-age=0,no-cache', false],
    // CloudFront writes these six from SecurityHeadersConfig fields (spec §6.2).
    ['X-Frame-Options', 'deny', 'DENY', true],
    ['X-Frame-Options', 'DENY', 'SAMEORIGIN', false],
    ['X-Content-Type-Options', 'NoSniff', 'nosniff', true],
    ['Referrer-Policy', 'no-referrer', 'same-origin', false],
    ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains; preload', 'max-age=63072000; preload; includesubdomains', true],
    ['Strict-Transport-Security', 'max-age=63072000;includeSubDomains', 'max-age=63072000; includeSubDomains', true],
    ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains', 'max-age=63072000', false],
    ['Strict-Transport-Security', 'max-age=63072000', 'max-age=31536000', false],
    ['X-XSS-Protection', '1;mode=block', '1; mode=block', true],
    ['Content-Security-Policy', "default-src 'self'", "default-src 'self'; img-src *", false],
  ])('%s: "%s" and "%s" are alike: %s', (name, expected, got, same) => {
    expect(sameHeaderValue(name, expected, got)).toBe(same);
  });
});
