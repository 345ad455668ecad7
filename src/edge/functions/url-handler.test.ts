/**
 * The CloudFront Function `edgeship init` writes (templates/url-handler.js), rendered for each
 * page layout exactly as `init` renders it, run in the local runtime: each layout x each request
 * shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../cli/init.js';
import type { UrlLayout } from '../../config/presets/index.js';
import type { CfRequest, CfResponse, EdgeFunction } from '../contracts.js';
import { applyCfRequest, generatedResponse } from './event.js';
import { loadEdgeFunction } from './runtime.js';
import { requestEvent, tempDir } from './test-helpers.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LAYOUTS = {
  // Next.js `trailingSlash: false` (its default): about.html, canonical /about, 308.
  'next-default': { preset: 'nextjs-export', url: {} },
  // Next.js `trailingSlash: true`: about/index.html, canonical /about/, 308.
  'next-trailing': { preset: 'nextjs-export', url: { layout: 'directory', trailingSlash: true } },
  // Astro and Hugo defaults: about/index.html, canonical /about/, 301.
  astro: { preset: 'astro', url: {} },
  // Astro `trailingSlash: 'never'` with directory pages: about/index.html at /about.
  'astro-never': { preset: 'astro', url: { trailingSlash: false } },
  // Next.js with `basePath: '/docs'`.
  'next-base': { preset: 'nextjs-export', url: { basePath: '/docs' } },
} as const satisfies Record<string, { preset: 'nextjs-export' | 'astro'; url: Partial<UrlLayout> }>;
type LayoutName = keyof typeof LAYOUTS;

const fns = new Map<LayoutName, EdgeFunction>();
beforeAll(async () => {
  for (const [name, { preset, url }] of Object.entries(LAYOUTS) as [LayoutName, (typeof LAYOUTS)[LayoutName]][]) {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, presetFiles(preset, 'example.com', url)['edge/url-handler.js']!);
    fns.set(name, await loadEdgeFunction(file, { timeLimitMs: 5_000 }));
  }
});

async function run(layout: LayoutName, url: string, host = 'example.com') {
  const event = requestEvent(url, [['Host', host]]);
  return { event, result: await fns.get(layout)!.runViewerRequest(event) };
}

/** `-> /x` a rewrite to object /x; `308 /x` a redirect to /x. */
async function outcome(layout: LayoutName, url: string): Promise<string> {
  const { event, result } = await run(layout, url);
  if ('response' in result) return `${result.response.statusCode} ${result.response.headers.location?.value}`;
  return `-> ${applyCfRequest(event, result.request).url}`;
}

describe('templates/url-handler.js: alias hosts', () => {
  it('redirects the www alias with one 301 to the canonical domain, keeping path and query', async () => {
    const { result } = await run('next-default', '/path?q=1', 'www.example.com');
    const response = (result as { response: CfResponse }).response;
    expect(generatedResponse(response)).toMatchObject({
      status: 301,
      headers: { location: 'https://example.com/path?q=1', 'cache-control': 'public, max-age=3600' },
    });
  });

  it('matches the alias case-insensitively (host names are)', async () => {
    const { result } = await run('next-default', '/', 'WWW.Example.COM');
    expect(result).toMatchObject({ response: { statusCode: 301, headers: { location: { value: 'https://example.com/' } } } });
  });

  it.each(['evil.com', 'www.example.com.evil.com', 'evil.com/www.example.com', 'wwwXexample.com'])('never redirects a hostile Host %s (no open redirect)', async (host) => {
    const { result } = await run('next-default', '/about', host);
    expect((result as { request: CfRequest }).request.uri).toBe('/about.html');
  });
});

describe('templates/url-handler.js: each layout x each request shape', () => {
  it.each([
    // layout, request, outcome
    ['next-default', '/', '-> /index.html'],
    ['next-default', '/about', '-> /about.html'],
    ['next-default', '/about?x=1', '-> /about.html?x=1'],
    ['next-default', '/about/', '308 /about'],
    ['next-default', '/about/?x=1&y', '308 /about?x=1&y'],
    ['next-default', '/blog/hello', '-> /blog/hello.html'],
    ['next-default', '/about.txt', '-> /about.txt'],
    ['next-default', '/about.txt?_rsc=1x2y3', '-> /about.txt?_rsc=1x2y3'],
    ['next-default', '/blog/hello/__next.blog.$d$slug.__PAGE__.txt', '-> /blog/hello/__next.blog.$d$slug.__PAGE__.txt'],
    ['next-default', '/_next/static/chunks/0cz1d0mv5g_q7.js', '-> /_next/static/chunks/0cz1d0mv5g_q7.js'],
    ['next-default', '//evil.example/', '308 /evil.example'],
    ['next-trailing', '/', '-> /index.html'],
    ['next-trailing', '/about/', '-> /about/index.html'],
    ['next-trailing', '/about', '308 /about/'],
    ['next-trailing', '/about?x=1', '308 /about/?x=1'],
    ['next-trailing', '/about/index.txt', '-> /about/index.txt'],
    ['next-trailing', '//evil.example/x', '308 /evil.example/x/'],
    ['next-trailing', '//evil.example', '-> //evil.example'], // a file name: served as is, never a Location
    ['astro', '/about/', '-> /about/index.html'],
    ['astro', '/about', '301 /about/'],
    ['astro', '/blog/hello', '301 /blog/hello/'],
    ['astro', '/_astro/hero.sal3QGCD_1FgPYC.webp', '-> /_astro/hero.sal3QGCD_1FgPYC.webp'],
    ['astro-never', '/about', '-> /about/index.html'],
    ['astro-never', '/about/', '301 /about'],
    ['next-base', '/docs', '-> /docs/index.html'],
    ['next-base', '/docs/', '-> /docs/index.html'],
    ['next-base', '/docs/about', '-> /docs/about.html'],
    ['next-base', '/docs/about/', '308 /docs/about'],
  ] as const)('%s: %s answers %s', async (layout, url, expected) => {
    expect(await outcome(layout, url)).toBe(expected);
  });
});
