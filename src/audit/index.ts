/**
 * `auditSite`: crawl a site (the local edge or a live URL) and check what it serves against what
 * the behavior table promises. The crawl is I/O; every rule is a pure function of its records.
 */
import path from 'node:path';
import { compileTable } from '../behavior/table.js';
import type { SiteModel } from '../config/model.js';
import { RESERVED_PREFIX } from '../edge/contracts.js';
import { EdgeshipError, EXIT } from '../errors.js';
import type { ObjectStore } from '../store/types.js';
import { crawl, probeRedirects, secondPass, type AuditProgress } from './crawl.js';
import { probeHeaderRules, servedCandidates } from './header-probes.js';
import { probeRedirectRules, shadowedRules } from './redirect-probes.js';
import { createFetcher, type Fetcher } from './http.js';
import { buildReport, type AuditReport } from './report.js';
import { allowedHosts, RULES } from './rules/index.js';
import type { AuditInput, Rule, SiteExpectations } from './types.js';

export interface AuditOptions {
  /** Origin to audit, e.g. `http://127.0.0.1:8080` or `https://example.com`. Only this origin is ever requested. */
  baseUrl: string;
  /** The site model: domain and aliases (redirect probes, same-site links) and the behavior table. */
  site?: Pick<SiteModel, 'domain' | 'aliases' | 'defaultRootObject' | 'behaviors' | 'headersPolicies'> & Partial<Pick<SiteModel, 'basePath' | 'redirects' | 'headersFile'>>;
  /** The target's store: every key (but `.edgeship/`) is requested too. */
  store?: ObjectStore;
  /** Most URLs requested. Default 500. */
  maxPages?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Request every cached 200 again and report the share of X-Cache hits. Default true. */
  secondPass?: boolean;
  onProgress?: (progress: AuditProgress) => void;
  /** Rules to run; default all. */
  rules?: readonly Rule[];
  /** HTTP adapter; default node:http with keep-alive. */
  fetch?: Fetcher;
}

export const DEFAULT_MAX_PAGES = 500;
export const DEFAULT_CONCURRENCY = 8;
const USER_AGENT = 'edgeship-audit';

export async function auditSite(options: AuditOptions): Promise<AuditReport> {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const maxPages = positive(options.maxPages ?? DEFAULT_MAX_PAGES, 'maxPages');
  const concurrency = positive(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
  const site = expectations(options.site);
  const siteHosts = allowedHosts({ baseUrl, site });
  const storeKeys = options.store ? await listKeys(options.store) : undefined;

  const own = options.fetch ? undefined : createFetcher(USER_AGENT, concurrency);
  const fetch = options.fetch ?? own!.fetch;
  try {
    const result = await crawl({ baseUrl, fetch, siteHosts, storeKeys, maxPages, concurrency, basePath: options.site?.basePath, onProgress: options.onProgress });
    const start = result.resources[0];
    if (start && start.status === 0) {
      throw new EdgeshipError('AUDIT_UNREACHABLE', `${baseUrl} did not answer: ${start.error ?? 'no response'}`, {
        exitCode: EXIT.failed,
        hint: 'start the site first (edgeship serve for the local edge) or check the URL',
      });
    }
    if (options.secondPass !== false) await secondPass(result.resources, fetch, concurrency, options.onProgress);
    const probes = await probeRedirects(baseUrl, probeTargets(baseUrl, site), fetch, siteHosts);
    options.onProgress?.({ phase: 'redirects', done: probes.length, total: probes.length });

    const { redirects, headersFile } = options.site ?? {};
    const ruleProbes = redirects ? await probeRedirectRules(baseUrl, redirects, fetch, storeKeys, concurrency) : undefined;
    const shadowed = redirects && storeKeys ? shadowedRules(baseUrl, redirects, storeKeys) : undefined;
    const headerProbes = headersFile ? await probeHeaderRules(baseUrl, { file: path.basename(headersFile.file), rules: headersFile.rules }, fetch, servedCandidates(result.resources, storeKeys), concurrency) : undefined;
    const input: AuditInput = { baseUrl, resources: result.resources, probes, site, ...(ruleProbes ? { ruleProbes } : {}), ...(shadowed ? { shadowedRules: shadowed } : {}), ...(headerProbes ? { headerProbes } : {}) };
    const rules = options.rules ?? RULES;
    const findings = rules.flatMap((rule) => rule.check(input));
    return buildReport({ baseUrl, rules, findings, resources: result.resources, probes, notVisited: result.notVisited, external: result.external });
  } finally {
    own?.close();
  }
}

function expectations(site: AuditOptions['site']): SiteExpectations | undefined {
  if (!site) return undefined;
  return { domain: site.domain, aliases: site.aliases, defaultRootObject: site.defaultRootObject, table: compileTable(site) };
}

/**
 * Which hosts to send to the origin to see them redirect. With a site: each configured alias
 * (they must end on the domain). Without: `www.<host>` for a named host, as audit cannot know
 * the aliases; nothing for an IP address or localhost.
 */
export function probeTargets(baseUrl: string, site: SiteExpectations | undefined): { host: string; expectedHost: string }[] {
  if (site) {
    if (!site.domain) return [];
    const domain = site.domain.toLowerCase();
    return site.aliases.map((a) => a.toLowerCase()).filter((a) => a !== domain).map((host) => ({ host, expectedHost: domain }));
  }
  const { hostname, host } = new URL(baseUrl);
  if (hostname === 'localhost' || /^[\d.]+$/.test(hostname) || hostname.includes(':') || hostname.startsWith('www.') || !hostname.includes('.')) return [];
  return [{ host: `www.${host}`, expectedHost: host }];
}

async function listKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list()) if (!o.key.startsWith(RESERVED_PREFIX)) keys.push(o.key);
  // An atomic store holds several deploys under _deploys/<id>/: the live one is what viewers reach.
  const { keysOfDeploy } = await import('../deploy/atomic/keys.js');
  const { LocalKvs } = await import('../kvs/local-kvs.js');
  const { KVS_KEYS } = await import('../kvs/keys.js');
  const live = keys.some((k) => k.startsWith('_deploys/')) ? (await new LocalKvs(store).read().catch(() => ({}) as Record<string, string>))[KVS_KEYS.live] : undefined;
  return keysOfDeploy(keys.sort(), live !== undefined && /^\d+$/.test(live) ? Number(live) : undefined);
}

function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EdgeshipError('AUDIT_BAD_URL', `"${raw}" is not a URL`, { exitCode: EXIT.usage, hint: 'pass an origin such as http://127.0.0.1:8080 or https://example.com' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EdgeshipError('AUDIT_BAD_URL', `"${raw}" is not an http(s) URL`, { exitCode: EXIT.usage, hint: 'pass an origin such as https://example.com' });
  }
  return url.origin;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new EdgeshipError('AUDIT_BAD_OPTION', `${name} must be a whole number of at least 1, got ${value}`, { exitCode: EXIT.usage });
  }
  return value;
}

export type { AuditReport, RuleResult, CacheHitSummary } from './report.js';
export { formatJunit, formatReport } from './report.js';
export type { AuditProgress } from './crawl.js';
export type { AuditInput, FetchedResource, Finding, RedirectProbe, Rule, Severity } from './types.js';
export { RULES } from './rules/index.js';
