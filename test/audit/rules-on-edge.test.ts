/**
 * Each rule against fixture sites served by the real local edge: the example site passes every
 * rule; each broken variant fails with exactly the rule it breaks, at the URL it breaks.
 */
import { describe, expect, it } from 'vitest';
import { auditSite, type AuditReport } from '../../src/audit/index.js';
import type { BehaviorConfig } from '../../src/config/schema.js';
import { serveFixture, type Fixture } from './fixture.js';
import { CSS, exampleSite, HANDLER, MAIN_JS, page, withDefaultBehavior } from './sites.js';

async function audit(fixture: Fixture): Promise<{ report: AuditReport; url: string }> {
  const served = await serveFixture(fixture);
  try {
    return { report: await auditSite({ baseUrl: served.url, site: served.site, store: served.store, concurrency: 4 }), url: served.url };
  } finally {
    await served.close();
  }
}

function withBehaviors(fixture: Fixture, change: (behaviors: BehaviorConfig[]) => BehaviorConfig[]): Fixture {
  return { ...fixture, config: { ...fixture.config, behaviors: change((fixture.config.behaviors ?? []) as BehaviorConfig[]) } };
}

function withFiles(fixture: Fixture, files: Fixture['files']): Fixture {
  return { ...fixture, files: { ...fixture.files, ...files } };
}

/** The url-handler with redirects of its own, as a team might add them. */
function handlerWithRedirects(moved: Record<string, string>): string {
  return HANDLER.replace(
    '  var uri = request.uri;',
    `  var MOVED = ${JSON.stringify(moved)};
  if (MOVED[request.uri]) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: MOVED[request.uri] } } };
  }
  var uri = request.uri;`,
  );
}

const HTML_BEHAVIOR: Omit<BehaviorConfig, 'path' | 'cache'> = { functions: { viewerRequest: 'edge/url-handler.js' }, headers: 'security', compress: true };

interface BrokenCase {
  rule: string;
  fixture: () => Fixture;
  /** Paths the rule must report. */
  paths: string[];
  /** Exit status the CI gate gives. */
  ok: boolean;
}

const BROKEN: BrokenCase[] = [
  {
    rule: 'html-cache',
    fixture: () => withBehaviors(exampleSite(), (bs) => [{ ...HTML_BEHAVIOR, path: 'about/*', cache: 'immutable' }, ...bs]),
    paths: ['/about/', '/about/index.html'],
    ok: false,
  },
  {
    rule: 'hashed-immutable',
    fixture: () => withBehaviors(exampleSite(), (bs) => bs.map((b) => (b.path === '_next/static/*' ? { ...b, cache: { edge: 86_400, browser: 3_600 } } : b))),
    paths: [`/${MAIN_JS}`, `/${CSS}`],
    ok: true,
  },
  {
    rule: 'unhashed-immutable',
    // A folder made immutable as a whole, holding a file whose name carries no hash.
    fixture: () => {
      const fx = withFiles(exampleSite(), {
        'index.html': page('Home', '<img src="/assets/logo.svg" alt="">'),
        'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      });
      return { ...fx, config: { ...fx.config, behaviors: [{ path: 'assets/*', cache: 'immutable' }, ...(fx.config.behaviors ?? [])] } };
    },
    paths: ['/assets/logo.svg'],
    ok: false,
  },
  {
    rule: 'security-headers',
    fixture: () => withDefaultBehavior(exampleSite(), () => ({ headers: undefined })),
    paths: ['/', '/about/', '/blog/first-post/'],
    ok: false,
  },
  {
    rule: 'compression',
    fixture: () => withBehaviors(exampleSite(), (bs) => bs.map((b) => (b.path === '_next/static/*' ? { ...b, compress: false } : b))),
    paths: [`/${MAIN_JS}`, `/${CSS}`],
    ok: true,
  },
  {
    rule: 'content-type',
    fixture: () => withFiles(exampleSite(), { [CSS]: { body: '.a { color: red }', contentType: 'text/plain; charset=utf-8' } }),
    paths: [`/${CSS}`],
    ok: false,
  },
  {
    rule: 'broken-link',
    fixture: () =>
      withFiles(exampleSite(), {
        'about/index.html': page('About', '<a href="/team/">Team</a>', '<script src="/_next/static/chunks/gone-0a1b2c3d4e5f6a7b.js"></script>'),
      }),
    paths: ['/team/', '/_next/static/chunks/gone-0a1b2c3d4e5f6a7b.js'],
    ok: false,
  },
  {
    rule: 'redirect-www',
    fixture: () => ({ ...exampleSite(), sources: { 'edge/url-handler.js': HANDLER.replace("var ALIASES = ['www.example.com'];", 'var ALIASES = [];') } }),
    paths: ['https://www.example.com/'],
    ok: false,
  },
  {
    rule: 'redirect-chain',
    fixture: () => ({
      ...withFiles(exampleSite(), { 'about/index.html': page('About', '<a href="/old/">Old</a>') }),
      sources: { 'edge/url-handler.js': handlerWithRedirects({ '/old/': '/older/', '/older/': '/about/' }) },
    }),
    paths: ['/old/'],
    ok: true,
  },
  {
    rule: 'redirect-offsite',
    fixture: () => ({
      ...withFiles(exampleSite(), { 'about/index.html': page('About', '<a href="/go/">Go</a>') }),
      sources: { 'edge/url-handler.js': handlerWithRedirects({ '/go/': 'https://elsewhere.example.net/landing' }) },
    }),
    paths: ['/go/'],
    ok: false,
  },
  {
    rule: 'validators',
    fixture: () => {
      const site = withDefaultBehavior(exampleSite(), () => ({ headers: 'no-validators' }));
      const security = site.config.headersPolicies!.security!;
      return { ...site, config: { ...site.config, headersPolicies: { ...site.config.headersPolicies, 'no-validators': { ...security, removeHeaders: ['ETag', 'Last-Modified'] } } } };
    },
    paths: ['/', '/about/', '/robots.txt'],
    ok: true,
  },
  {
    rule: 'modern-images',
    fixture: () =>
      withFiles(exampleSite(), {
        'index.html': page('Home', '<img src="/images/photo.3f9a2c1b.jpg" alt="">'),
        'images/photo.3f9a2c1b.jpg': Buffer.from('fake jpeg'),
      }),
    paths: ['/images/photo.3f9a2c1b.jpg'],
    ok: true,
  },
  {
    rule: 'cache-control-drift',
    fixture: () => withFiles(exampleSite(), { 'about/index.html': { body: page('About', '<p>About us.</p>'), cacheControl: 'public, max-age=600' } }),
    paths: ['/about/', '/about/index.html'],
    ok: true,
  },
  {
    rule: 'cache-hit',
    fixture: () => withBehaviors(exampleSite(), (bs) => [{ path: 'robots.txt', cache: 'no-store', compress: true }, ...bs]),
    paths: ['/robots.txt'],
    ok: true,
  },
];

describe('audit against the local edge', () => {
  it('the example site passes every rule', async () => {
    const { report, url } = await audit(exampleSite());
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.cacheHits).toMatchObject({ ratio: 1, misses: [] });
    expect(report.redirectProbes[0]?.hops.map((h) => [h.host, h.status])).toEqual([
      ['www.example.com', 301],
      ['example.com', 200],
    ]);
    // Every page, asset, image variant and store key was requested.
    expect(report.requested).toBeGreaterThanOrEqual(15);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(BROKEN)('$rule: a site that breaks it fails with that rule at that URL', async ({ rule, fixture, paths, ok }) => {
    const { report, url } = await audit(fixture());
    const own = report.findings.filter((f) => f.rule === rule);
    const expected = paths.map((p) => (p.startsWith('https://') ? p : `${url}${p}`));
    expect(own.map((f) => f.url)).toEqual(expect.arrayContaining(expected));
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set([rule]));
    expect(report.ok).toBe(ok);
  });
});
