/** Rules on what `Cache-Control` promises browsers, against what the file name and the table allow. */
import { ONE_YEAR } from '../../behavior/headers.js';
import { hasContentHash } from '../../behavior/hashed-name.js';
import { parseCacheControl } from '../../behavior/ttl.js';
import { isOk, keyForPath, urlPath } from '../classify.js';
import type { Finding, Rule } from '../types.js';

/** HTML kept by browsers longer than this is "cached for long": a deploy would not reach them. */
export const HTML_MAX_BROWSER_TTL = 3_600;

export const htmlCache: Rule = {
  id: 'html-cache',
  severity: 'error',
  title: 'HTML is neither immutable nor cached by browsers for long',
  fix: `give HTML a behavior with cache: { edge: '5m', browser: 0 } (max-age at most ${HTML_MAX_BROWSER_TTL}s, never immutable) and redeploy`,
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      if (!isOk(r) || r.type !== 'html') continue;
      const header = r.headers['cache-control'];
      const cc = parseCacheControl(header);
      let problem: string | undefined;
      if (cc.immutable) problem = `HTML is served immutable (${header})`;
      else if (header === undefined) problem = 'HTML has no Cache-Control: browsers cache it for a heuristic time';
      else if (!cc.noStore && !cc.noCache && (cc.maxAge ?? 0) > HTML_MAX_BROWSER_TTL) {
        problem = `browsers keep HTML for ${cc.maxAge}s (${header})`;
      }
      if (problem) out.push({ rule: this.id, severity: this.severity, url: r.url, message: problem });
    }
    return out;
  },
};

export const hashedImmutable: Rule = {
  id: 'hashed-immutable',
  severity: 'warning',
  title: 'content-hashed assets are immutable and cached for at least a year',
  fix: "put the hashed assets' folder under a behavior with cache: 'immutable' (public, max-age=31536000, immutable)",
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      if (!isOk(r) || r.type === 'html' || !hasContentHash(urlPath(r.url))) continue;
      const header = r.headers['cache-control'];
      const cc = parseCacheControl(header);
      if (cc.immutable && (cc.maxAge ?? 0) >= ONE_YEAR) continue;
      out.push({ rule: this.id, severity: this.severity, url: r.url, message: `content-hashed file served with ${header === undefined ? 'no Cache-Control' : `"${header}"`}` });
    }
    return out;
  },
};

export const unhashedImmutable: Rule = {
  id: 'unhashed-immutable',
  severity: 'error',
  title: 'a file without a content hash in its name is not immutable',
  fix: 'give the file a content-hashed name (edgeship images does for images), or move it out of the immutable behavior',
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      // HTML that is immutable is the html-cache rule's finding.
      if (!isOk(r) || r.type === 'html' || hasContentHash(urlPath(r.url))) continue;
      const header = r.headers['cache-control'];
      if (!parseCacheControl(header).immutable) continue;
      out.push({
        rule: this.id,
        severity: this.severity,
        url: r.url,
        message: `no content hash in the name, yet "${header}": browsers keep the old file after it changes`,
      });
    }
    return out;
  },
};

export const validators: Rule = {
  id: 'validators',
  severity: 'warning',
  title: 'responses carry ETag or Last-Modified',
  fix: 'serve from an origin that sets ETag/Last-Modified (S3 and the local store do); do not strip them in a headers policy',
  check({ resources }) {
    return resources
      .filter((r) => isOk(r) && r.headers.etag === undefined && r.headers['last-modified'] === undefined)
      .map((r) => ({ rule: this.id, severity: this.severity, url: r.url, message: 'neither ETag nor Last-Modified: browsers cannot revalidate' }));
  },
};

export const cacheControlDrift: Rule = {
  id: 'cache-control-drift',
  severity: 'warning',
  title: "Cache-Control served is the one the behavior table gives the object",
  fix: 'redeploy: edgeship deploy updates the headers of objects whose behavior changed (a metadata copy, no re-upload)',
  check({ resources, site }) {
    const table = site?.table;
    if (!table) return [];
    const out: Finding[] = [];
    for (const r of resources) {
      if (!isOk(r)) continue;
      const key = keyForPath(urlPath(r.url), site.defaultRootObject);
      const expected = table.objectHeaders(key).cacheControl;
      const actual = r.headers['cache-control'];
      if (normalize(actual) === normalize(expected)) continue;
      out.push({
        rule: this.id,
        severity: this.severity,
        url: r.url,
        message: `served "${actual ?? '(none)'}", the table gives ${key} "${expected}"`,
      });
    }
    return out;
  },
};

function normalize(header: string | undefined): string {
  return (header ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(',');
}
