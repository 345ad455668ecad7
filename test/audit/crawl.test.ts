/**
 * The crawler against real HTTP servers on 127.0.0.1: what it requests, what it never requests,
 * how many requests it keeps in flight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSite } from '../../src/audit/index.js';

interface Served {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

interface TestServer {
  url: string;
  requests: { path: string; host: string | undefined; acceptEncoding: string | undefined }[];
  maxInFlight: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server answering from a table of paths (404 otherwise); `delayMs` keeps requests in flight so concurrency shows. */
async function serve(routes: Record<string, Served | ((host: string | undefined) => Served)>, delayMs = 0): Promise<TestServer> {
  let inFlight = 0;
  const state: TestServer = { url: '', requests: [], maxInFlight: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const path = req.url ?? '/';
    state.requests.push({ path, host: req.headers.host, acceptEncoding: req.headers['accept-encoding'] });
    const route = routes[path];
    const answer = typeof route === 'function' ? route(req.headers.host) : route;
    setTimeout(() => {
      inFlight--;
      if (!answer) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('not found');
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...answer.headers }).end(answer.body ?? '');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  servers.push(state);
  return state;
}

describe('crawler', () => {
  it('follows same-origin links, scripts, styles, images and srcsets from / and the sitemap, and nothing else', async () => {
    const elsewhere = await serve({ '/': { body: 'other site' } });
    const site = await serve({
      '/': {
        body: `<link rel="stylesheet" href="/s.css"><script src="/a.js"></script>
          <a href="/about">about</a> <a href="${elsewhere.url}/">elsewhere</a> <a href="https://example.com/from-prod">prod</a>
          <img src="/i.png" srcset="/i-2x.png 2x">`,
      },
      '/about': { body: '<a href="/">home</a><a href="/missing">gone</a>' },
      '/s.css': { headers: { 'content-type': 'text/css; charset=utf-8' }, body: 'body{}' },
      '/a.js': { headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: '1' },
      '/i.png': { headers: { 'content-type': 'image/png' }, body: 'png' },
      '/i-2x.png': { headers: { 'content-type': 'image/png' }, body: 'png' },
      '/from-prod': { body: 'ok' },
      '/sitemap.xml': { headers: { 'content-type': 'application/xml; charset=utf-8' }, body: `<urlset><url><loc>https://example.com/only-in-sitemap</loc></url></urlset>` },
      '/only-in-sitemap': { body: 'hidden' },
    });
    const report = await auditSite({ baseUrl: site.url, site: { domain: 'example.com', aliases: [], defaultRootObject: 'index.html', behaviors: [{ path: '*', cache: { edge: 300, browser: 0 }, compress: true }], headersPolicies: {} } });
    const paths = site.requests.map((r) => r.path).sort();
    expect(paths).toEqual(['/', '/a.js', '/about', '/from-prod', '/i-2x.png', '/i.png', '/missing', '/only-in-sitemap', '/s.css', '/sitemap.xml']);
    expect(elsewhere.requests).toEqual([]);
    expect(report.external).toBe(1);
    expect(site.requests.every((r) => r.acceptEncoding === 'br, gzip')).toBe(true);
    const broken = report.findings.filter((f) => f.rule === 'broken-link');
    expect(broken.map((f) => f.url)).toEqual([`${site.url}/missing`]);
    expect(broken[0]!.message).toContain(`link on ${site.url}/about`);
  });

  it('keeps at most --concurrency requests in flight and stops at --max-pages', async () => {
    const links = Array.from({ length: 30 }, (_, i) => `<a href="/p${i}">${i}</a>`).join('');
    const routes: Record<string, Served> = { '/': { body: links } };
    for (let i = 0; i < 30; i++) routes[`/p${i}`] = { body: 'page' };
    const site = await serve(routes, 20);
    const report = await auditSite({ baseUrl: site.url, maxPages: 12, concurrency: 3, secondPass: false });
    expect(site.maxInFlight).toBeLessThanOrEqual(3);
    expect(site.maxInFlight).toBeGreaterThan(1);
    // 12 requests, one of them the absent /sitemap.xml, which the report leaves out.
    expect(site.requests.length).toBe(12);
    expect(report.requested).toBe(11);
    expect(report.notVisited).toBeGreaterThan(0);
  });

  it('an absent /sitemap.xml is not a broken link', async () => {
    const site = await serve({ '/': { body: 'home' } });
    const report = await auditSite({ baseUrl: site.url });
    expect(site.requests.map((r) => r.path).sort()).toEqual(['/', '/sitemap.xml']);
    expect(report.findings.filter((f) => f.rule === 'broken-link')).toEqual([]);
    expect(report.requested).toBe(1);
  });

  it('decodes compressed HTML before reading its links', async () => {
    const gz = zlib.gzipSync('<a href="/linked">x</a>');
    const raw = http.createServer((_req, res) => {
      res.writeHead(_req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': _req.url === '/' ? 'gzip' : 'identity' }).end(_req.url === '/' ? gz : '');
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    try {
      const report = await auditSite({ baseUrl: url, secondPass: false });
      expect(report.findings.filter((f) => f.rule === 'broken-link').map((f) => f.url)).toEqual([`${url}/linked`]);
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('probes www by Host header on the same origin and follows the redirect there', async () => {
    const site = await serve({
      '/': (host) => (host === 'www.example.com' ? { status: 301, headers: { location: 'https://example.com/' } } : { body: 'home' }),
    });
    const report = await auditSite({
      baseUrl: site.url,
      secondPass: false,
      site: { domain: 'example.com', aliases: ['www.example.com'], defaultRootObject: 'index.html', behaviors: [{ path: '*', cache: { edge: 300, browser: 0 }, compress: true }], headersPolicies: {} },
    });
    expect(report.redirectProbes).toEqual([
      {
        host: 'www.example.com',
        expectedHost: 'example.com',
        hops: [
          { url: `${site.url}/`, host: 'www.example.com', status: 301, location: 'https://example.com/', error: undefined },
          { url: `${site.url}/`, host: 'example.com', status: 200, location: undefined, error: undefined },
        ],
      },
    ]);
    expect(site.requests.filter((r) => r.host !== new URL(site.url).host).map((r) => r.host)).toEqual(['www.example.com', 'example.com']);
    expect(report.findings.filter((f) => f.rule.startsWith('redirect'))).toEqual([]);
  });

  it('an origin that does not answer is an error, not an empty report', async () => {
    const site = await serve({});
    await site.close();
    servers.splice(servers.indexOf(site), 1);
    await expect(auditSite({ baseUrl: site.url })).rejects.toMatchObject({ code: 'AUDIT_UNREACHABLE' });
  });
});
