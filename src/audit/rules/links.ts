/** Rules over the link graph: broken references and redirects. */
import { onSite } from '../classify.js';
import type { AuditInput, FetchedResource, Finding, Rule, Via } from '../types.js';

export const brokenLinks: Rule = {
  id: 'broken-link',
  severity: 'error',
  title: 'no broken links, scripts, styles or images (4xx/5xx)',
  fix: 'deploy the missing file or fix the reference in the page that links it',
  check({ resources }) {
    return resources
      .filter((r) => r.status === 0 || r.status >= 400)
      .map((r) => ({
        rule: this.id,
        severity: this.severity,
        url: r.url,
        message: `${r.status === 0 ? `request failed: ${r.error ?? 'no response'}` : `answers ${r.status}`}${describeVia(r.via)}`,
      }));
  },
};

function describeVia(via: Via[]): string {
  const from = via.filter((v) => v.from !== undefined);
  if (from.length === 0) return via[0] ? ` (found in the ${via[0].kind === 'store' ? 'store listing' : via[0].kind})` : '';
  const shown = from.slice(0, 3).map((v) => `${v.kind} on ${v.from}`);
  return `; ${shown.join(', ')}${from.length > 3 ? ` and ${from.length - 3} more` : ''}`;
}

/** The host names a redirect may lead to: the audited origin's, the configured domain and its aliases. */
export function allowedHosts(input: Pick<AuditInput, 'baseUrl' | 'site'>): Set<string> {
  const base = new URL(input.baseUrl).host.toLowerCase();
  const hosts = new Set([base]);
  if (input.site) {
    if (input.site.domain) hosts.add(input.site.domain.toLowerCase());
    for (const a of input.site.aliases) hosts.add(a.toLowerCase());
  } else {
    hosts.add(base.startsWith('www.') ? base.slice(4) : `www.${base}`);
  }
  return hosts;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

const isRedirect = (status: number) => status >= 300 && status < 400 && status !== 304;

export const redirectWww: Rule = {
  id: 'redirect-www',
  severity: 'error',
  title: 'www. (and every alias) redirects to the apex in a single 301',
  fix: "set domain, aliases and redirectToDomain in the config and attach the url-handler function (edgeship init writes it) to the default behavior",
  check({ probes }) {
    const out: Finding[] = [];
    for (const p of probes) {
      const url = `https://${p.host}/`;
      const first = p.hops[0];
      const push = (message: string) => out.push({ rule: this.id, severity: this.severity, url, message });
      if (!first) continue;
      if (first.status === 0) push(`request with Host: ${p.host} failed: ${first.error ?? 'no response'}`);
      else if (!isRedirect(first.status)) push(`answers ${first.status} instead of a 301 to ${p.expectedHost}`);
      else if (first.status !== 301) push(`redirects with ${first.status}; use a permanent 301`);
      else if (hostOf(first.location) !== p.expectedHost) push(`redirects to ${first.location ?? '(no Location)'}, not to ${p.expectedHost}`);
    }
    return out;
  },
};

export const redirectChain: Rule = {
  id: 'redirect-chain',
  severity: 'warning',
  title: 'no redirect leads to another redirect',
  fix: 'point the first redirect (and the links to it) straight at the final URL',
  check(input) {
    const { resources, probes } = input;
    const out: Finding[] = [];
    const hosts = allowedHosts(input);
    const byUrl = new Map(resources.map((r) => [r.url, r]));
    const target = (location: string): FetchedResource | undefined => {
      const url = onSite(location, input.baseUrl, hosts);
      return url === undefined ? undefined : byUrl.get(url);
    };
    for (const r of resources) {
      if (!isRedirect(r.status) || r.location === undefined) continue;
      const chain = [r.url];
      let next = target(r.location);
      while (next && isRedirect(next.status) && next.location !== undefined && !chain.includes(next.url)) {
        chain.push(next.url);
        next = target(next.location);
      }
      if (chain.length > 1) out.push({ rule: this.id, severity: this.severity, url: r.url, message: `${chain.length} redirects in a row: ${chain.join(' -> ')}` });
    }
    for (const p of probes) {
      const redirects = p.hops.filter((h) => isRedirect(h.status));
      if (redirects.length > 1) {
        out.push({
          rule: this.id,
          severity: this.severity,
          url: `https://${p.host}/`,
          message: `${redirects.length} redirects in a row: ${redirects.map((h) => `${h.host} (${h.status})`).join(' -> ')} -> ${p.hops.at(-1)?.host}`,
        });
      }
    }
    return out;
  },
};

export const redirectOffsite: Rule = {
  id: 'redirect-offsite',
  severity: 'error',
  title: 'no redirect leads to a host outside the config (domain and aliases)',
  fix: "never build Location from the request's Host; redirect to the configured domain only",
  check(input) {
    const allowed = allowedHosts(input);
    const out: Finding[] = [];
    const check = (url: string, location: string | undefined) => {
      const host = hostOf(location);
      if (location !== undefined && host !== undefined && !allowed.has(host)) {
        out.push({ rule: this.id, severity: this.severity, url, message: `redirects to ${location}, outside ${[...allowed].join(', ')}` });
      }
    };
    for (const r of input.resources) if (isRedirect(r.status)) check(r.url, r.location);
    for (const p of input.probes) for (const h of p.hops) if (isRedirect(h.status)) check(h.url, h.location);
    return out;
  },
};
