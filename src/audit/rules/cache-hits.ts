/** The edge cache works: a second request for the same URL is a hit. */
import type { Finding, Rule } from '../types.js';

export const cacheHits: Rule = {
  id: 'cache-hit',
  severity: 'info',
  title: 'on a second request, responses come from the edge cache (X-Cache: Hit)',
  fix: 'a miss on the second request means the behavior does not cache (TTL 0, no-store) or its cache key varies',
  check({ resources }) {
    const out: Finding[] = [];
    for (const r of resources) {
      const x = r.secondPass?.xCache;
      if (x === undefined || isHit(x)) continue;
      out.push({ rule: this.id, severity: this.severity, url: r.url, message: `second request: X-Cache: ${x}` });
    }
    return out;
  },
};

export function isHit(xCache: string): boolean {
  return /^hit\b/i.test(xCache.trim());
}

