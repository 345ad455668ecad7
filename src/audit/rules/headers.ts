/** Rules on response headers: security headers on HTML, compression, Content-Type. */
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from '../../behavior/headers.js';
import { charsetOf, isOk, isTextType, keyForPath, mediaType, urlPath } from '../classify.js';
import type { FetchedResource, Finding, Rule } from '../types.js';

/** The headers every HTML document needs, and how to tell one is present. */
const SECURITY_HEADERS: { name: string; present: (r: FetchedResource) => boolean }[] = [
  { name: 'Strict-Transport-Security', present: (r) => /max-age=\d+/i.test(r.headers['strict-transport-security'] ?? '') },
  { name: 'Content-Security-Policy', present: (r) => Boolean(r.headers['content-security-policy']?.trim()) },
  { name: 'X-Content-Type-Options', present: (r) => r.headers['x-content-type-options']?.trim().toLowerCase() === 'nosniff' },
  {
    name: 'X-Frame-Options (or CSP frame-ancestors)',
    present: (r) =>
      ['deny', 'sameorigin'].includes(r.headers['x-frame-options']?.trim().toLowerCase() ?? '') ||
      /(^|;)\s*frame-ancestors\s/i.test(r.headers['content-security-policy'] ?? ''),
  },
  { name: 'Referrer-Policy', present: (r) => Boolean(r.headers['referrer-policy']?.trim()) },
];

export const securityHeaders: Rule = {
  id: 'security-headers',
  severity: 'error',
  title: 'HTML carries HSTS, CSP, X-Content-Type-Options, frame protection and Referrer-Policy',
  fix: "attach a headers policy with securityHeaders to the HTML behavior (the nextjs-export preset's 'security' policy has all five)",
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      if (!isOk(r) || r.type !== 'html') continue;
      const missing = SECURITY_HEADERS.filter((h) => !h.present(r)).map((h) => h.name);
      if (missing.length > 0) out.push({ rule: this.id, severity: this.severity, url: r.url, message: `missing ${missing.join(', ')}` });
    }
    return out;
  },
};

/** Text responses this large or larger must come compressed (CloudFront compresses from 1,000 bytes, spec §3.1). */
export const COMPRESS_MIN_BYTES = 1_024;

/** Media types CloudFront compresses (spec §3.3) that audit expects compressed, plus any `text/*`. */
const COMPRESSIBLE = new Set([
  'application/javascript',
  'application/json',
  'application/manifest+json',
  'application/rss+xml',
  'application/xhtml+xml',
  'application/xml',
  'application/wasm',
  'image/svg+xml',
  'font/ttf',
  'font/otf',
  'application/vnd.ms-fontobject',
]);

export const compression: Rule = {
  id: 'compression',
  severity: 'warning',
  title: `text responses of ${COMPRESS_MIN_BYTES} bytes or more are compressed when the client accepts br or gzip`,
  fix: 'enable compress on the behavior (the default) and give it a cache TTL above 0: CloudFront does not compress what it does not cache',
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      if (r.status !== 200) continue;
      const media = mediaType(r.headers['content-type']);
      if (!(media.startsWith('text/') || COMPRESSIBLE.has(media))) continue;
      const encoding = r.headers['content-encoding']?.trim().toLowerCase();
      if (encoding && encoding !== 'identity') continue;
      if (r.size < COMPRESS_MIN_BYTES) continue;
      out.push({ rule: this.id, severity: this.severity, url: r.url, message: `${r.size} bytes of ${media} sent uncompressed to a client accepting br, gzip` });
    }
    return out;
  },
};

/** Media types that name the same thing; either matches the extension. */
const SAME_TYPE: string[][] = [
  ['text/javascript', 'application/javascript', 'application/x-javascript'],
  ['application/xml', 'text/xml'],
  ['image/vnd.microsoft.icon', 'image/x-icon'],
  ['application/manifest+json', 'application/json'],
];

function sameType(a: string, b: string): boolean {
  return a === b || SAME_TYPE.some((group) => group.includes(a) && group.includes(b));
}

export const contentType: Rule = {
  id: 'content-type',
  severity: 'error',
  title: 'Content-Type matches the extension, with a charset on text',
  fix: "redeploy with edgeship deploy (it sets Content-Type from the extension, charset=utf-8 on text); check the origin's MIME table",
  check({ resources, site }) {
    const out: Finding[] = [];
    for (const r of resources) {
      if (!isOk(r)) continue;
      const header = r.headers['content-type'];
      const media = mediaType(header);
      const key = keyForPath(urlPath(r.url), site?.defaultRootObject);
      const expected = mediaType(contentTypeFor(key));
      const push = (message: string) => out.push({ rule: this.id, severity: this.severity, url: r.url, message });
      if (!media) push(`no Content-Type (expected ${expected})`);
      else if (expected !== DEFAULT_CONTENT_TYPE && !sameType(media, expected)) push(`Content-Type ${media} does not match the extension of ${key} (expected ${expected})`);
      else if (isTextType(media) && !charsetOf(header)) push(`text served without a charset: "${header}" (expected "${media}; charset=utf-8")`);
    }
    return out;
  },
};
