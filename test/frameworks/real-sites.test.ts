/**
 * A new user's flow on sites built by the frameworks' own tools: `init` with no flags, `images`,
 * `deploy`, the local edge, then every page under its clean URL, the other slash form
 * redirected to it, a missing page answered by the site's own 404 page, and `audit` passing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { loadConfig } from '../../src/config/load.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { openStore } from '../../src/store/open.js';
import { loadFunctions } from '../audit/fixture.js';
import { request } from '../edge/fixture.js';
import { copySite } from '../helpers/framework-sites.js';

interface Case {
  /** How to get the project: a framework fixture, or a plain folder written here. */
  make: () => string;
  preset: string;
  pages: string[];
  /** Requests in the other slash form and where they must redirect. */
  redirects: [string, number, string][];
  missing: string;
  files?: string[];
  /** A page and what its HTML must say after `edgeship images`. */
  rewritten?: [string, RegExp];
}

const CASES: Record<string, Case> = {
  'Next.js 16 export, trailingSlash false (its default)': {
    make: () => copySite('next-default'),
    preset: 'preset: nextjs-export; site: out/; pages at /page (page.html)',
    pages: ['/', '/about', '/blog/hello', '/blog/world'],
    redirects: [['/about/', 308, '/about'], ['/blog/hello/?ref=x', 308, '/blog/hello?ref=x']],
    missing: '/nope',
    files: ['/about.txt?_rsc=1x2y3', '/blog/hello/__next.blog.$d$slug.__PAGE__.txt', '/index.txt'],
    rewritten: ['/', /srcset="\/images\/team\.[0-9a-f]{12}\.640\.webp 640w/],
  },
  'Next.js 16 export, trailingSlash true': {
    make: () => copySite('next-trailing'),
    preset: 'preset: nextjs-export; site: out/; pages at /page/ (page/index.html)',
    pages: ['/', '/about/', '/blog/hello/', '/blog/world/'],
    redirects: [['/about', 308, '/about/'], ['/blog/hello?ref=x', 308, '/blog/hello/?ref=x']],
    missing: '/nope/',
    files: ['/about/index.txt?_rsc=1x2y3'],
  },
  'Next.js 16 export under basePath /docs': {
    make: () => copySite('next-basepath'),
    preset: 'preset: nextjs-export; site: out/; pages at /page (page.html)',
    pages: ['/docs', '/docs/', '/docs/about', '/docs/blog/hello'],
    redirects: [['/docs/about/', 308, '/docs/about'], ['/docs/blog/world/?ref=x', 308, '/docs/blog/world?ref=x']],
    missing: '/docs/nope',
    files: ['/docs/about.txt?_rsc=1x2y3', '/docs/images/team.jpg'],
    // The hero's URL carries the base path, its manifest key does not: the variants keep the prefix.
    rewritten: ['/docs', /srcset="\/docs\/images\/team\.[0-9a-f]{12}\.640\.webp 640w/],
  },
  'Astro 5, its defaults': {
    make: () => copySite('astro'),
    preset: 'preset: astro; site: dist/; pages at /page/ (page/index.html)',
    pages: ['/', '/about/', '/blog/hello/', '/blog/world/'],
    redirects: [['/about', 301, '/about/'], ['/blog/world?ref=x', 301, '/blog/world/?ref=x']],
    missing: '/nope/',
  },
  'Hugo, its defaults': {
    make: () => copySite('hugo'),
    preset: 'preset: hugo; site: public/; pages at /page/ (page/index.html)',
    pages: ['/', '/about/', '/posts/', '/posts/hello/', '/posts/world/'],
    redirects: [['/about', 301, '/about/'], ['/posts/hello?ref=x', 301, '/posts/hello/?ref=x']],
    missing: '/nope/',
  },
  'a plain folder': {
    make: plainFolder,
    preset: 'preset: static; site: public/; pages at /page/ (page/index.html)',
    pages: ['/', '/about/', '/team/'],
    redirects: [['/team', 301, '/team/']],
    missing: '/nope/',
  },
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});


describe.each(Object.entries(CASES))('%s: init, images, deploy, serve, audit', (_name, c) => {
  let dir: string;
  let edge: RunningEdge;
  let init: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    dir = c.make();
    dirs.push(dir);
    init = await cli(dir, 'init');
    expect(init.code, init.stderr).toBe(0);
    const images = await cli(dir, 'images');
    expect(images.code, images.stderr).toBe(0);
    const deploy = await cli(dir, 'deploy', '--yes');
    expect(deploy.code, deploy.stderr).toBe(0);
    const site = await loadConfig({ cwd: dir });
    const store = openStore(site.targets.local!.store);
    edge = await startEdge({ site, store, port: 0, functions: await loadFunctions(site, store) });
  }, 120_000);
  afterAll(async () => {
    await edge?.close();
  });

  it('init detects the project with no flags and says what it found', () => {
    expect(init.stdout).toContain(c.preset);
    expect(init.stdout).toMatch(/^found: /m);
    expect(init.stdout).toContain('wrote edgeship.config.ts');
  });

  it('every page answers 200 under its canonical URL', async () => {
    for (const page of c.pages) {
      const r = await request(`${edge.url}${page}`);
      expect([page, r.status, r.headers['content-type']]).toEqual([page, 200, 'text/html; charset=utf-8']);
    }
  });

  it('the other slash form redirects to the canonical one, keeping the query string', async () => {
    for (const [from, status, to] of c.redirects) {
      const r = await request(`${edge.url}${from}`);
      expect([from, r.status, r.headers.location]).toEqual([from, status, to]);
    }
  });

  it("a missing page is the site's own 404 page, with status 404", async () => {
    const r = await request(`${edge.url}${c.missing}`);
    expect(r.status).toBe(404);
    expect(r.body.toString()).toMatch(/Page not found|404/);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('files are served as they are, never rewritten', async () => {
    for (const file of c.files ?? []) {
      const r = await request(`${edge.url}${file}`);
      expect([file, r.status]).toEqual([file, 200]);
    }
  });

  it.runIf(c.rewritten !== undefined)('edgeship images rewrote the page to its variants', async () => {
    const [page, pattern] = c.rewritten!;
    expect((await request(`${edge.url}${page}`)).body.toString()).toMatch(pattern);
  });

  it('audit --target local passes', async () => {
    const r = await cli(dir, 'audit', '--target', 'local', '--concurrency', '4');
    expect(r.stdout).toMatch(/0 errors, \d+ warnings?, \d+ notes? — PASS$/m);
    expect(r.code, r.stdout).toBe(0);
  });
});

/** A hand-made static site: page/index.html pages, a fingerprinted stylesheet, its own 404 page. */
function plainFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-plain-'));
  const page = (title: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/css/site.3f9a2c1b4d.css"></head><body><h1>${title}</h1><a href="/">Home</a> <a href="/about/">About</a> <a href="/team/">Team</a></body></html>`;
  const files: Record<string, string> = {
    'public/index.html': page('Home'),
    'public/about/index.html': page('About'),
    'public/team/index.html': page('Team'),
    'public/404.html': page('Page not found'),
    'public/css/site.3f9a2c1b4d.css': 'body { font-family: sans-serif; }',
    'public/robots.txt': 'User-agent: *\nAllow: /\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
