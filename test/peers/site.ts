/**
 * One small site and, per dialect, a `_redirects` and a `_headers` written for the side-by-side
 * tests (netlify.test.ts, cloudflare.test.ts): the features each platform documents and their
 * edges. Every page body is a marker, so a rewrite or a shadowed rule shows which file answered.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PAGES: Record<string, string> = {
  'index.html': 'page:home',
  'about/index.html': 'page:about',
  'blog/a/index.html': 'page:blog-a',
  'blog/b/index.html': 'page:blog-b',
  'blog/feed.xml': 'feed:blog',
  'old/index.html': 'page:old',
  '404.html': 'page:404',
  'fr/index.html': 'page:fr',
  'fr/about/index.html': 'page:fr-about',
  'fr/404.html': 'page:fr-404',
  'ja/404/index.html': 'page:ja-404',
  'app.js': 'console.log("app");',
};

/** Rules both dialects read alike, apart from the dialect's own syntax (the first field is the source). */
const COMMON = `# statuses, and the default one
/exact            /about/          301
/temp             /about/          302
/see-other        /about/          303
/keep-method      /about/          307
/perm-method      /about/          308
/default          /about/
# splats, placeholders, a splat in the middle
/news/*           /blog/:splat     301
/posts/:year/:slug /blog/:slug/    301
/docs/*/edit      /edit/:splat     302
# trailing slash both ways
/trail/           /about/          301
/notrail          /about/          302
# a target with its own query string
/with-query       /about/?from=old 301
/away             https://example.org/landing 302
# case and percent-encoding
/Case             /about/          301
/caf%C3%A9        /about/          301
/with%20space     /about/          301
# first match wins
/first            /about/          301
/first            /blog/a/         301
/pick/*           /blog/a/         302
/pick/b           /blog/b/         302
# rewrites
/rewrite          /blog/a/         200
`;

export const NETLIFY_REDIRECTS = `${COMMON}/spa/*            /index.html      200
# files that exist: skipped unless forced
/old              /about/          301
/blog/b/          /about/          301!
/app.js           /about/          301
/blog/a/          /about/          302
# query matches
/store  id=:id    /blog/:id/       301
/shop   kind=hat  /about/          302
# conditions (the viewer is in FR and asks for French)
/country          /blog/a/         302   Country=fr
/country          /blog/b/         302
/elsewhere        /blog/a/         302   Country=de
/elsewhere        /blog/b/         302
/lang             /blog/a/         302   Language=fr
/lang             /blog/b/         302
# 404 pages: the target's content with status 404, the URL unchanged; a served page shadows them
/fr/*             /fr/404.html     404
/:lang/docs/*     /:lang/404/      404
/gone             /404.html        404
`;

// Pages ignores a splat rewritten to /index.html (a loop under its HTML handling): its form is /.
export const CLOUDFLARE_REDIRECTS = `${COMMON}/spa/*            /                200
# files that exist: every rule is followed
/old              /about/          301
/app.js           /about/          301
`;

const HEADERS = `/*
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  X-Site: all
/about/
  X-Page: about
/blog/*
  X-Section: blog
/blog/:slug/
  X-Post: yes
  X-Site: post
/*.js
  X-Asset: script
/*/feed.xml
  X-Feed: yes
/old/
  X-Multi: one
  X-Multi: two
`;

export const NETLIFY_HEADERS = HEADERS;

export const CLOUDFLARE_HEADERS = `${HEADERS}/blog/b/
  ! X-Site
  X-Detached: yes
`;

/** The header names the files set: only these are compared (each platform adds its own defaults). */
export function headerNames(headersFile: string): string[] {
  const names = new Set<string>();
  for (const m of headersFile.matchAll(/^\s+!?\s*([A-Za-z-]+)(?::|\s*$)/gm)) names.add(m[1]!.toLowerCase());
  return [...names].sort();
}

export interface Case {
  url: string;
  headers?: Record<string, string>;
}

const FRENCH = { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.5' };

/** Requests both dialects are asked. */
const COMMON_CASES: Case[] = [
  '/exact', '/exact/', '/exact?x=1&y=2', '/temp', '/see-other', '/keep-method', '/perm-method', '/default',
  '/news/a', '/news/a/b', '/news', '/news/', '/news/a?utm=1',
  '/posts/2024/hello', '/posts/2024/hello/', '/posts/2024', '/posts/2024/hello/extra',
  '/docs/a/edit', '/docs/a/b/edit', '/docs/edit',
  '/trail', '/trail/', '/notrail', '/notrail/',
  '/with-query', '/with-query?x=1', '/away', '/away?x=1',
  '/Case', '/case', '/CASE', '/caf%C3%A9', '/caf%c3%a9', '/with%20space',
  '/first', '/pick/b', '/pick/c',
  '/rewrite', '/rewrite?x=1', '/spa/x/y',
  '/old', '/old/', '/app.js', '/about/', '/about', '/blog/a/', '/blog/b/', '/blog/feed.xml', '/', '/missing', '/missing/',
].map((url) => ({ url }));

export const NETLIFY_CASES: Case[] = [
  ...COMMON_CASES,
  ...['/store?id=7', '/store?id=7&x=2', '/store', '/store?x=1', '/shop?kind=hat', '/shop?kind=cap'].map((url) => ({ url })),
  { url: '/country' },
  { url: '/elsewhere' },
  { url: '/lang', headers: FRENCH },
  { url: '/lang' },
  ...['/fr/nope', '/fr/nope/', '/fr/a/b?x=1', '/fr/', '/fr', '/fr/about/', '/fr/about', '/fr/404.html', '/ja/docs/nope/', '/ja/404/', '/gone', '/gone/'].map((url) => ({ url })),
];

export const CLOUDFLARE_CASES: Case[] = COMMON_CASES;

/** Writes the site and its two files into `dir/out`. */
export function writeSite(dir: string, redirects: string, headers: string): string {
  const out = path.join(dir, 'out');
  for (const [name, text] of Object.entries({ ...PAGES, _redirects: redirects, _headers: headers })) {
    fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
    fs.writeFileSync(path.join(out, name), text);
  }
  return out;
}
