/**
 * The url-handler `init` writes, with a `_redirects` compiled in, run in the local CloudFront
 * Functions runtime with the KeyValueStore data the deploy writes: each request answered as
 * `resolveRedirect` (what `explain` and `audit` use) says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../cli/init.js';
import { applyCfRequest } from '../edge/functions/event.js';
import { loadEdgeFunction } from '../edge/functions/runtime.js';
import { requestEvent, tempDir } from '../edge/functions/test-helpers.js';
import { MAX_CODE_BYTES } from '../edge/functions/source.js';
import { compileRedirects } from './compile.js';
import { spliceRedirects } from './function-code.js';
import { compileRules, resolveRedirect } from './match.js';
import { parseRedirects } from './parse.js';
import { isPatternRule, type RedirectDialect } from './types.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const handler = presetFiles('astro', 'example.com', {})['edge/url-handler.js']!;

async function compiledFunction(text: string, dialect: RedirectDialect, files: string[]) {
  const { rules, problems } = parseRedirects(text, dialect);
  expect(problems).toEqual([]);
  const compiled = compileRedirects(rules, dialect, files);
  const patterns = rules.filter(isPatternRule);
  const spliced = spliceRedirects(handler, { patterns, dialect, usesKvs: true });
  if (!spliced.ok) throw new Error(`not spliced: ${spliced.reason}`);
  const name = `${dialect}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, `${name}.js`), spliced.code);
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(compiled.kvs));
  const fn = await loadEdgeFunction(path.join(dir, `${name}.js`), { timeLimitMs: 5_000, kvsFile: path.join(dir, `${name}.json`) });
  return { fn, rules: compileRules(rules, dialect), bytes: spliced.bytes };
}

async function viaFunction(fn: Awaited<ReturnType<typeof compiledFunction>>['fn'], url: string, headers: [string, string][] = []): Promise<string> {
  const event = requestEvent(url, [['Host', 'example.com'], ...headers]);
  const result = await fn.runViewerRequest(event);
  if ('response' in result) return `${result.response.statusCode} ${result.response.headers.location?.value}`;
  // A status rewrite marks the request; edgeship's viewer-response function sets that status.
  const status = result.request.headers['x-edgeship-status']?.value;
  return `-> ${applyCfRequest(event, result.request).url}${status ? ` (${status})` : ''}`;
}

const NETLIFY = [
  '/home              /',
  '/blog/my-post.php  /blog/my-post',
  '/news/*  /blog/:splat',
  '/news/:year/:month/:date/:slug  /blog/:year/:month/:date/:slug',
  '/store id=:id  /blog/:id  301',
  '/my-redirect  /  302',
  '/pass-through /index.html    200',
  '/china/*  /china/zh-cn/:splat  302  Language=zh',
  '/about /company 301',
  '/app/*  /app/index.html  200',
  '/docs/*/edit  /edit/:splat  302',
  '/ecommerce  /store-closed  404',
  '/fr/*  /fr/404.html  404',
  '/:lang/guide/*  /:lang/404/  404',
].join('\n');
const SITE = ['index.html', 'about/index.html', 'app/index.html', 'app/main.js', 'blog/my-post/index.html', 'fr/index.html', 'fr/404.html', 'fr/about/index.html', 'ja/guide/start/index.html', 'ja/404/index.html'];

describe('the compiled url-handler answers as the rules say (Netlify)', () => {
  // [url, what the function answers, what resolveRedirect (explain, audit) says]
  it.each([
    ['/home', '301 /', '301 /'],
    ['/home/?utm=1', '301 /?utm=1', '301 /?utm=1'],
    ['/blog/my-post.php', '301 /blog/my-post', '301 /blog/my-post'],
    ['/news/2004/01/10/my-story', '301 /blog/2004/01/10/my-story', '301 /blog/2004/01/10/my-story'],
    ['/store?id=42', '301 /blog/42?id=42', '301 /blog/42?id=42'],
    ['/my-redirect', '302 /', '302 /'],
    ['/pass-through', '-> /index.html', '200 /index.html'],
    // A file is served at /about/: the rule without "!" is shadowed, the page is served.
    ['/about/', '-> /about/index.html', 'none'],
    // /app/main.js exists: shadowed; /app/route does not: rewritten to the app shell.
    ['/app/main.js', '-> /app/main.js', 'none'],
    ['/app/route', '-> /app/index.html', '200 /app/index.html'],
    ['/elsewhere/', '-> /elsewhere/index.html', 'none'],
    // A whole-segment splat may be absent with its slash (netlify-redirector 0.5.0).
    ['/docs/a/b/edit', '302 /edit/a/b', '302 /edit/a/b'],
    ['/docs/edit', '302 /edit/', '302 /edit/'],
    // Netlify's custom 404 pages: the target's object, answered with 404, at the same URL.
    ['/ecommerce', '-> /store-closed/index.html (404)', '404 /store-closed'],
    ['/fr/nope/', '-> /fr/404.html (404)', '404 /fr/404.html'],
    ['/fr/nope/deeper?x=1', '-> /fr/404.html?x=1 (404)', '404 /fr/404.html?x=1'],
    ['/ja/guide/nope/', '-> /ja/404/index.html (404)', '404 /ja/404/'],
    // Shadowing: a page under /fr/ is served as it is, with its own status.
    ['/fr/about/', '-> /fr/about/index.html', 'none'],
    ['/fr/', '-> /fr/index.html', 'none'],
    ['/ja/guide/start/', '-> /ja/guide/start/index.html', 'none'],
  ])('%s -> %s', async (url, expected, node) => {
    const { fn, rules } = await compiledFunction(NETLIFY, 'netlify', SITE);
    expect(await viaFunction(fn, url)).toBe(expected);
    const [pathPart = '', query] = url.split('?');
    const fileExists = SITE.some((k) => ['/' + k, `/${k}`.replace(/\/index\.html$/, '')].includes(pathPart.replace(/(.)\/$/, '$1')));
    const answer = resolveRedirect(rules, { path: pathPart, query: query ? Object.fromEntries([query.split('=')]) : undefined, fileExists }, 'netlify');
    expect(answer ? `${answer.status} ${answer.target}` : 'none').toBe(node);
  });

  it("drops a viewer's own x-edgeship-status: only a rule sets the status", async () => {
    const { fn } = await compiledFunction(NETLIFY, 'netlify', SITE);
    expect(await viaFunction(fn, '/about/', [['X-Edgeship-Status', '404']])).toBe('-> /about/index.html');
  });

  it('answers a language condition from Accept-Language', async () => {
    const { fn } = await compiledFunction(NETLIFY, 'netlify', SITE);
    expect(await viaFunction(fn, '/china/tea', [['Accept-Language', 'zh-CN,zh;q=0.9']])).toBe('302 /china/zh-cn/tea');
    // Another language: no rule; the layout's slash redirect answers.
    expect(await viaFunction(fn, '/china/tea', [['Accept-Language', 'en']])).toBe('301 /china/tea/');
  });
});

describe('the compiled url-handler answers as the rules say (Cloudflare)', () => {
  const CLOUDFLARE = ['/home301 / 301', '/querystrings /?query=string 301', '/trailing /trailing/ 301', '/blog/* https://blog.my.domain/:splat', '/products/:code/:name /products?code=:code&name=:name', '/about /company'].join('\n');
  it.each([
    ['/home301?x=1', '301 /?x=1'],
    ['/querystrings?x=1', '301 /?query=string'],
    ['/trailing', '301 /trailing/'],
    ['/blog/2022/hello', '302 https://blog.my.domain/2022/hello'],
    ['/products/abc/shoe', '302 /products?code=abc&name=shoe'],
    // Cloudflare follows a rule whether or not a file is there.
    ['/about', '302 /company'],
  ])('%s -> %s', async (url, expected) => {
    const { fn } = await compiledFunction(CLOUDFLARE, 'cloudflare', SITE);
    expect(await viaFunction(fn, url)).toBe(expected);
  });
});

describe('the 10 KB limit', () => {
  it('fits a few dozen pattern rules, and refuses more, saying how many fit', () => {
    const many = Array.from({ length: 400 }, (_, i) => `/section-${i}/* /moved-${i}/:splat 301`).join('\n');
    const { rules } = parseRedirects(many, 'cloudflare');
    const result = spliceRedirects(handler, { patterns: rules, dialect: 'cloudflare', usesKvs: true });
    expect(result).toMatchObject({ ok: false, reason: 'too-large' });
    const fit = (result as { fit: number }).fit;
    expect(fit).toBeGreaterThan(50);
    expect(fit).toBeLessThan(400);
    const fits = spliceRedirects(handler, { patterns: rules.slice(0, fit), dialect: 'cloudflare', usesKvs: true });
    expect(fits.ok && fits.bytes).toBeLessThanOrEqual(MAX_CODE_BYTES);
    expect(spliceRedirects(handler, { patterns: rules.slice(0, fit + 1), dialect: 'cloudflare', usesKvs: true }).ok).toBe(false);
  });

  it('a function without the block is left alone', () => {
    expect(spliceRedirects('function handler(e) { return e.request; }', { patterns: [], dialect: 'netlify', usesKvs: true })).toEqual({ ok: false, reason: 'no-block' });
  });
});
