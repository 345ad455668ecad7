/**
 * The crawler: a thin loop over the HTTP adapter. From `/`, `/sitemap.xml` (when present) and
 * the store's keys, it follows same-site links, scripts, stylesheets, images and srcsets, with
 * at most `concurrency` requests in flight and at most `maxPages` URLs. It requests nothing
 * outside the audited origin: links to the site's own hosts are moved onto that origin, links to
 * any other host are counted and left alone.
 */
import { isOk, onSite, pathForKey, resourceType } from './classify.js';
import { parsePage } from './html.js';
import type { Fetcher } from './http.js';
import { parseSitemap } from './sitemap.js';
import type { FetchedResource, RedirectProbe, Via } from './types.js';

export interface AuditProgress {
  phase: 'crawl' | 'second-pass' | 'redirects';
  done: number;
  total: number;
}

export interface CrawlOptions {
  baseUrl: string;
  fetch: Fetcher;
  /** Hosts of the site whose URLs are requested on the audited origin instead. */
  siteHosts: ReadonlySet<string>;
  /** Object keys to request as well (the reserved prefix already left out). */
  storeKeys?: readonly string[];
  maxPages: number;
  concurrency: number;
  /** The URL path the site is served under (`basePath`): the crawl starts at `<basePath>/`. Default ''. */
  basePath?: string;
  onProgress?: (progress: AuditProgress) => void;
}

export interface CrawlResult {
  resources: FetchedResource[];
  /** URLs found but not requested because `maxPages` was reached. */
  notVisited: number;
  /** Distinct references to other hosts, never requested. */
  external: number;
}

export const SITEMAP_PATH = '/sitemap.xml';

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const { baseUrl, fetch, siteHosts, maxPages, concurrency } = options;
  const origin = new URL(baseUrl).origin;
  const entries = new Map<string, FetchedResource>();
  const queue: string[] = [];
  const notVisited = new Set<string>();
  const external = new Set<string>();
  const base = options.basePath ?? '';
  const sitemapProbe = `${origin}${base}${SITEMAP_PATH}`;
  let done = 0;

  const enqueue = (rawUrl: string, via: Via): void => {
    const url = onSite(rawUrl, baseUrl, siteHosts);
    if (url === undefined) {
      external.add(rawUrl);
      return;
    }
    const known = entries.get(url);
    if (known) {
      if (!known.via.some((v) => v.kind === via.kind && v.from === via.from)) known.via.push(via);
      return;
    }
    if (entries.size >= maxPages) {
      notVisited.add(url);
      return;
    }
    entries.set(url, { url, status: 0, headers: {}, wireSize: 0, size: 0, type: 'other', via: [via] });
    queue.push(url);
  };

  const visit = async (url: string): Promise<void> => {
    const entry = entries.get(url)!;
    const res = await fetch(url);
    entry.status = res.status;
    entry.headers = res.headers;
    entry.wireSize = res.raw.length;
    entry.size = res.decoded?.length ?? res.raw.length;
    entry.type = resourceType(res.headers['content-type'], new URL(url).pathname);
    if (res.error) entry.error = res.error;
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      try {
        entry.location = new URL(res.headers.location, url).href;
        enqueue(entry.location, { kind: 'redirect', from: url });
      } catch {
        entry.error = `unparseable Location: ${res.headers.location}`;
      }
    }
    if (isOk(entry) && res.decoded) {
      if (entry.type === 'html') {
        entry.body = res.decoded;
        entry.page = parsePage(res.decoded.toString('utf8'), url);
        for (const ref of entry.page.refs) enqueue(ref.url, { kind: ref.kind, from: url });
      } else if (entry.type === 'xml' && entry.via.some((v) => v.kind === 'sitemap')) {
        const sitemap = parseSitemap(res.decoded.toString('utf8'));
        for (const loc of [...sitemap.pages, ...sitemap.sitemaps]) enqueue(loc, { kind: 'sitemap', from: url });
      }
    }
    done++;
    options.onProgress?.({ phase: 'crawl', done, total: entries.size });
  };

  enqueue(`${origin}${base}/`, { kind: 'start' });
  enqueue(sitemapProbe, { kind: 'sitemap' });
  for (const key of options.storeKeys ?? []) enqueue(`${origin}${pathForKey(key)}`, { kind: 'store' });
  await pool(queue, concurrency, visit);

  // /sitemap.xml is optional: its absence (404, or 403 from S3 without ListBucket) is not a
  // broken link unless something links it. Any other failure of it is reported.
  const probe = entries.get(sitemapProbe);
  const absent = probe !== undefined && (probe.status === 404 || probe.status === 403);
  if (absent && probe.via.every((v) => v.kind === 'sitemap' && v.from === undefined)) entries.delete(sitemapProbe);
  return { resources: [...entries.values()], notVisited: notVisited.size, external: external.size };
}

/** Requests every cached-looking 200 again and records its `X-Cache`. */
export async function secondPass(resources: FetchedResource[], fetch: Fetcher, concurrency: number, onProgress?: (p: AuditProgress) => void): Promise<void> {
  const targets = resources.filter((r) => r.status === 200 && r.headers['x-cache'] !== undefined);
  let done = 0;
  await pool([...targets], concurrency, async (r) => {
    const again = await fetch(r.url);
    r.secondPass = { status: again.status, xCache: again.headers['x-cache'] };
    done++;
    onProgress?.({ phase: 'second-pass', done, total: targets.length });
  });
}

const MAX_REDIRECT_HOPS = 5;

/**
 * `GET /` on the audited origin with `Host: <alias>`, following each Location on the same
 * origin (with its host as `Host`) while it redirects to a host of the site.
 */
export async function probeRedirects(
  baseUrl: string,
  targets: { host: string; expectedHost: string }[],
  fetch: Fetcher,
  siteHosts: ReadonlySet<string>,
): Promise<RedirectProbe[]> {
  const origin = new URL(baseUrl).origin;
  const probes: RedirectProbe[] = [];
  for (const { host, expectedHost } of targets) {
    const probe: RedirectProbe = { host, expectedHost, hops: [] };
    let url = `${origin}/`;
    let asHost = host;
    for (let i = 0; i < MAX_REDIRECT_HOPS; i++) {
      const res = await fetch(url, { host: asHost });
      const hop = { url, host: asHost, status: res.status, location: undefined as string | undefined, error: res.error };
      probe.hops.push(hop);
      if (res.status < 300 || res.status >= 400 || !res.headers.location) break;
      let next: URL;
      try {
        next = new URL(res.headers.location, `${new URL(baseUrl).protocol}//${asHost}${new URL(url).pathname}`);
      } catch {
        break;
      }
      hop.location = next.href;
      if (!siteHosts.has(next.host.toLowerCase())) break;
      url = `${origin}${next.pathname}${next.search}`;
      asHost = next.host;
    }
    probes.push(probe);
  }
  return probes;
}

/** Runs `work` over `items` (which may grow while it runs) with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  while (items.length > 0 || running.size > 0) {
    while (items.length > 0 && running.size < limit) {
      const item = items.shift()!;
      const p: Promise<void> = work(item).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
  }
}
