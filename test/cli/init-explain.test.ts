import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/behavior/table.js';
import { loadConfig, resolveConfig } from '../../src/config/load.js';
import { nextjsExport } from '../../src/config/presets/index.js';
import { cli } from '../helpers/cli.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-cli-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));


describe('edgeship init', () => {
  const dir = fs.mkdtempSync(path.join(base, 'init-'));

  it('writes a commented config and the url-handler function', async () => {
    const r = await cli(dir, 'init', '--preset', 'nextjs-export', '--domain', 'shop.example.org');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote edgeship.config.ts');
    expect(r.stdout).toContain('wrote edge/url-handler.js');
    const config = fs.readFileSync(path.join(dir, 'edgeship.config.ts'), 'utf8');
    expect(config).toContain("domain: 'shop.example.org'");
    expect(config).toMatch(/^\/\/ /m);
    const handler = fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8');
    expect(handler).toContain("var DOMAIN = 'shop.example.org';");
    expect(handler).toContain("var ALIASES = ['www.shop.example.org'];");
  });

  it('the written config compiles to exactly the preset table', async () => {
    const fromFile = compileTable(await loadConfig({ cwd: dir }));
    const fromPreset = compileTable(resolveConfig(nextjsExport({ domain: 'shop.example.org' }), dir));
    const shape = (t: typeof fromFile) => t.behaviors.map(({ pattern, cacheControl, policy, functions, headersPolicy, compress }) => ({ pattern, cacheControl, policy, functions, headersPolicy, compress }));
    expect(shape(fromFile)).toEqual(shape(fromPreset));
  });

  it('never overwrites without --force, and writes nothing then', async () => {
    fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), '// mine\n');
    fs.rmSync(path.join(dir, 'edgeship.config.ts'));
    const r = await cli(dir, 'init');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: edge/url-handler.js already exists; nothing was written');
    expect(r.stderr).toContain('fix: pass --force to overwrite');
    expect(fs.existsSync(path.join(dir, 'edgeship.config.ts'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8')).toBe('// mine\n');
  });

  it('--force overwrites', async () => {
    const r = await cli(dir, 'init', '--force');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('overwrote edge/url-handler.js');
    expect(fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8')).toContain('function handler(event)');
  });

  it('an unknown preset is a usage error listing the presets', async () => {
    const r = await cli(fs.mkdtempSync(path.join(base, 'p-')), 'init', '--preset', 'gatsby');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown preset "gatsby"');
    expect(r.stderr).toContain('available: nextjs-export');
  });
});

describe('edgeship explain on the nextjs-export preset', () => {
  const dir = fs.mkdtempSync(path.join(base, 'explain-'));

  it('--json gives behavior, headers, TTLs, functions and headers policy per path', async () => {
    expect((await cli(dir, 'init', '--preset', 'nextjs-export')).code).toBe(0);
    const r = await cli(dir, 'explain', '/images/a.jpg', '/images/a.3f9a2c1b.640.avif', '/about', '/_next/static/chunks/x.js', '--json');
    expect(r.code).toBe(0);
    const year = { minTtl: 31_536_000, defaultTtl: 31_536_000, maxTtl: 31_536_000 };
    const images = { minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000 };
    const none = { viewerRequest: null, viewerResponse: null };
    expect(JSON.parse(r.stdout)).toEqual([
      // An original keeps its name: short; a variant's name carries its hash: immutable.
      { path: '/images/a.jpg', behavior: { pattern: 'images/*', index: 1 }, cacheControl: 'public, max-age=3600, s-maxage=86400', contentType: 'image/jpeg', edge: images, functions: none, headersPolicy: null, object: 'images/a.jpg' },
      { path: '/images/a.3f9a2c1b.640.avif', behavior: { pattern: 'images/*', index: 1 }, cacheControl: 'public, max-age=31536000, immutable', contentType: 'image/avif', edge: images, functions: none, headersPolicy: null, object: 'images/a.3f9a2c1b.640.avif' },
      {
        path: '/about',
        behavior: { pattern: '*', index: 2 },
        cacheControl: 'public, max-age=0, s-maxage=300, must-revalidate',
        contentType: 'text/html; charset=utf-8',
        edge: { minTtl: 0, defaultTtl: 300, maxTtl: 300 },
        functions: { viewerRequest: 'edge/url-handler.js', viewerResponse: null },
        headersPolicy: 'security',
        object: 'about.html',
      },
      {
        path: '/_next/static/chunks/x.js',
        behavior: { pattern: '_next/static/*', index: 0 },
        cacheControl: 'public, max-age=31536000, immutable',
        contentType: 'text/javascript; charset=utf-8',
        edge: year,
        functions: none,
        headersPolicy: null,
        object: '_next/static/chunks/x.js',
      },
    ]);
  });

  it('runs the viewer-request function: / and /blog map to the objects Next.js writes, /blog/ redirects', async () => {
    const r = await cli(dir, 'explain', '/', '/blog', '/blog/', '--json');
    expect(JSON.parse(r.stdout).map((e: { object: string; contentType: string }) => [e.object, e.contentType])).toEqual([
      ['index.html', 'text/html; charset=utf-8'],
      ['blog.html', 'text/html; charset=utf-8'],
      [null, '-'],
    ]);
    expect(JSON.parse(r.stdout)[2].functionResponse).toEqual({ status: 308, location: '/blog' });
  });

  it('--host shows what a www viewer gets: one 301 to the apex domain, no object', async () => {
    const r = await cli(dir, 'explain', '/about?x=1', '--host', 'www.example.com');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  answered by     edge/url-handler.js: 301 -> https://example.com/about?x=1\n');
    const json = JSON.parse((await cli(dir, 'explain', '/about', '--host', 'www.example.com', '--json')).stdout);
    expect(json[0]).toMatchObject({ object: null, functionResponse: { status: 301, location: 'https://example.com/about' } });
  });

  it('prints a readable block per path', async () => {
    const r = await cli(dir, 'explain', 'images/a.jpg');
    expect(r.stdout).toContain('/images/a.jpg\n  behavior        images/* (#2 of 3)\n  object          images/a.jpg\n  cache-control   public, max-age=3600, s-maxage=86400\n');
    const about = await cli(dir, 'explain', '/about');
    expect(about.stdout).toContain('  object          about.html (from /about)\n');
    expect(r.stdout).toContain('  edge ttl        min 0s, default 1d, max 365d');
  });

  it('with no path prints the whole table in order', async () => {
    const r = await cli(dir, 'explain');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^1\s+_next\/static\/\*\s+public, max-age=31536000, immutable\s+365d\/365d\/365d \(immutable-1y\)/);
    expect(lines[3]).toMatch(/^3\s+\*\s+public, max-age=0, s-maxage=300, must-revalidate\s+0s\/5m\/5m \(edge-5m\)\s+edge\/url-handler\.js\s+security$/);
  });

  it('an invalid config exits 2 with every issue', async () => {
    const bad = fs.mkdtempSync(path.join(base, 'bad-'));
    fs.writeFileSync(path.join(bad, 'edgeship.config.json'), JSON.stringify({ behaviors: [{ path: 'a b', cache: 'forever' }] }));
    const r = await cli(bad, 'explain', '/');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('edgeship.config.json: 2 problems');
    expect(r.stderr).toContain('behaviors[0].path: "a b" has characters CloudFront does not accept');
    expect(r.stderr).toContain('behaviors[0].cache: "forever" is not accepted');
  });
});

describe('edgeship --help and --version', () => {
  it('--version prints the package version', async () => {
    const r = await cli(base, '--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('--help lists the commands', async () => {
    const r = await cli(base, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('init [options]');
    expect(r.stdout).toContain('explain [options] [paths...]');
  });
  it('an unknown command is a usage error', async () => {
    const r = await cli(base, 'deploi');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'deploi'");
  });
});
