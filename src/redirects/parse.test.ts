import { describe, expect, it } from 'vitest';
import { parseRedirects } from './parse.js';

// The examples are the platforms' own:
// - Netlify: https://docs.netlify.com/routing/redirects/ ("Syntax for the _redirects file") and
//   https://docs.netlify.com/routing/redirects/redirect-options/ (status codes, splats,
//   placeholders, query parameters, country and language).
// - Cloudflare Pages: https://developers.cloudflare.com/pages/configuration/redirects/ (the
//   "complete example" and the feature table).

describe('_redirects, Netlify dialect (docs.netlify.com/routing/redirects)', () => {
  it('reads the syntax example: default status 301, comments skipped, URL and encoded targets', () => {
    const text = [
      '# Redirects from what the browser requests to what we serve',
      '/home              /',
      '/blog/my-post.php  /blog/my-post',
      '/news              /blog',
      '/cuties            https://www.petsofnetlify.com',
      '/authors/c%C3%A9line /authors/about-c%C3%A9line',
    ].join('\n');
    const { rules, problems } = parseRedirects(text, 'netlify');
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.line, r.from, r.to, r.status, r.force])).toEqual([
      [2, '/home', '/', 301, false],
      [3, '/blog/my-post.php', '/blog/my-post', 301, false],
      [4, '/news', '/blog', 301, false],
      [5, '/cuties', 'https://www.petsofnetlify.com', 301, false],
      [6, '/authors/c%C3%A9line', '/authors/about-c%C3%A9line', 301, false],
    ]);
  });

  it.each([
    ['/home         /              301', 301, false],
    ['/my-redirect  /              302', 302, false],
    ['/pass-through /index.html    200', 200, false],
    ['/app/*  /app/index.html  200!', 200, true],
    // "Show a custom 404 for this path"; per-language 404 pages, as Astro's docs and Starlight write them.
    ['/ecommerce    /store-closed  404', 404, false],
    ['/:lang/*  /:lang/404/  404', 404, false],
    ['/*  /index.html  404!', 404, true],
  ])('reads the status of %j', (line, status, force) => {
    const { rules, problems } = parseRedirects(line, 'netlify');
    expect(problems).toEqual([]);
    expect(rules[0]).toMatchObject({ status, force });
  });

  it('reads query matches before the target, and conditions after the status', () => {
    const text = ['/store id=:id  /blog/:id  301', '/articles id=:id tag=:tag /posts/:tag/:id 301', '/  /anz     302  Country=au,nz', '/china/*  /china/zh-cn/:splat  302  Language=zh'].join('\n');
    const { rules, problems } = parseRedirects(text, 'netlify');
    expect(problems).toEqual([]);
    expect(rules[0]).toMatchObject({ from: '/store', query: { id: ':id' }, to: '/blog/:id' });
    expect(rules[1]).toMatchObject({ query: { id: ':id', tag: ':tag' }, to: '/posts/:tag/:id' });
    expect(rules[2]).toMatchObject({ conditions: { country: ['AU', 'NZ'] }, status: 302 });
    expect(rules[3]).toMatchObject({ conditions: { language: ['zh'] } });
  });

  it('reports every bad line at once, each with its line, text and fix', () => {
    const text = ['/ok /fine', '/gone    /closed  410', 'no-slash /x', '/admin/*  /admin/:splat  200!  Role=admin', '/x', 'https://blog.example.com/* https://example.com/blog/:splat 301', '/p https://other.example/ 200'].join('\n');
    const { rules, problems, skipped } = parseRedirects(text, 'netlify', 'out/_redirects', { domain: 'example.com' });
    expect(rules).toHaveLength(1);
    expect(problems.map((p) => [p.line, p.file])).toEqual([
      [2, 'out/_redirects'],
      [3, 'out/_redirects'],
      [4, 'out/_redirects'],
      [5, 'out/_redirects'],
      [7, 'out/_redirects'],
    ]);
    expect(problems[0]!.message).toMatch(/"410" is not a status .*Netlify documents 3xx redirects, 200 rewrites and 404/);
    expect(problems[0]!.fix).toMatch(/200 \(rewrite\), 404 \(the target page, answered as not found\) or 301, 302, 303, 307, 308/);
    expect(problems[1]!.message).toMatch(/does not start with "\/"/);
    expect(problems[2]!.message).toMatch(/condition "Role"/);
    expect(problems[3]!.message).toMatch(/no target/);
    expect(problems[4]!.message).toMatch(/cannot fetch/);
    // A 404 rewrite to another site would proxy its body too.
    expect(parseRedirects('/p https://other.example/404 404', 'netlify').problems[0]!.message).toBe('a 404 rewrite to another site (https://other.example/404) would proxy it, and a CloudFront Function cannot fetch');
    // A domain-level rule for a host this distribution does not serve can never run: left out, with the fix.
    expect(skipped.map((p) => [p.line, p.message, p.fix])).toEqual([[6, 'a rule for blog.example.com, which this distribution does not serve (it serves example.com)', 'add blog.example.com to `aliases` to redirect it to example.com, or remove the line']]);
  });

  // Netlify, "Domain-level redirects": a source may be a full URL.
  it.each([
    ['https://example.com/old /new 301', { from: '/old' }, undefined],
    ['https://example.com/* https://example.com/app/:splat 301!', { from: '/*' }, undefined],
    ['https://mysite.netlify.app/* https://example.com/:splat 301!', undefined, 'a rule for mysite.netlify.app, a Netlify or Cloudflare Pages host: its requests never reach this distribution'],
    ['https://www.example.com/* https://example.com/:splat 301!', undefined, 'a rule for www.example.com, an alias: the url-handler redirects every request for it to example.com first'],
  ])('domain-level %s', (line, rule, skippedMessage) => {
    const { rules, problems, skipped } = parseRedirects(line, 'netlify', '_redirects', { domain: 'example.com', aliases: ['www.example.com'] });
    expect(problems).toEqual([]);
    if (rule) expect(rules[0]).toMatchObject(rule);
    expect(skipped.map((p) => p.message)).toEqual(skippedMessage ? [skippedMessage] : []);
  });
});

describe('_redirects, Cloudflare dialect (developers.cloudflare.com/pages/configuration/redirects)', () => {
  it('reads the complete example: default status 302, every rule followed over files', () => {
    const text = [
      '/home301 / 301',
      '/home302 / 302',
      '/querystrings /?query=string 301',
      '/twitch https://twitch.tv',
      '/trailing /trailing/ 301',
      '/notrailing/ /nottrailing 301',
      '/page/ /page2/#fragment 301',
      '/blog/* https://blog.my.domain/:splat',
      '/products/:code/:name /products?code=:code&name=:name',
    ].join('\n');
    const { rules, problems } = parseRedirects(text, 'cloudflare');
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.from, r.to, r.status])).toEqual([
      ['/home301', '/', 301],
      ['/home302', '/', 302],
      ['/querystrings', '/?query=string', 301],
      ['/twitch', 'https://twitch.tv', 302],
      ['/trailing', '/trailing/', 301],
      ['/notrailing/', '/nottrailing', 301],
      ['/page/', '/page2/#fragment', 301],
      ['/blog/*', 'https://blog.my.domain/:splat', 302],
      ['/products/:code/:name', '/products?code=:code&name=:name', 302],
    ]);
    expect(rules.every((r) => r.force)).toBe(true);
  });

  // Cloudflare Pages reports the lines it cannot read and deploys without them ("Found invalid redirect lines ... Ignoring").
  it('leaves out, with a warning naming the dialect, Netlify-only syntax Cloudflare ignores', () => {
    const { rules, problems, skipped } = parseRedirects(['/shop id=:id /blog/:id 301', '/a /b 301!', '/c /d 301'].join('\n'), 'cloudflare');
    expect(problems).toEqual([]);
    expect(rules.map((r) => r.line)).toEqual([3]);
    expect(skipped.map((p) => p.line)).toEqual([1, 2]);
    expect(skipped[0]!.message).toMatch(/\(Cloudflare Pages ignores this line too\)$/);
    expect(skipped[0]!.fix).toMatch(/platformFiles.dialect to "netlify"/);
    expect(skipped[1]!.fix).toMatch(/platformFiles.dialect to "netlify"/);
  });

  it('leaves out a 404 rule, a status Pages does not take', () => {
    const { rules, problems, skipped } = parseRedirects(['/fr/* /fr/404 404', '/c /d 301'].join('\n'), 'cloudflare');
    expect(problems).toEqual([]);
    expect(rules.map((r) => r.line)).toEqual([2]);
    expect(skipped.map((p) => [p.line, p.message, p.fix])).toEqual([[1, '"404" is not a status edgeship can answer (Cloudflare Pages ignores this line too)', 'use 200 (rewrite) or 301, 302, 303, 307, 308']]);
  });

  it('leaves out a domain-level rule, even for the site\'s own domain: Pages reads paths only', () => {
    const { rules, skipped } = parseRedirects('https://example.com/old /new 301', 'cloudflare', '_redirects', { domain: 'example.com' });
    expect(rules).toEqual([]);
    expect(skipped[0]!.message).toBe('the source "https://example.com/old" is a URL; Cloudflare Pages reads paths only (Cloudflare Pages ignores this line too)');
  });

  it('leaves out a rule over the 1,000-character limit', () => {
    const { skipped } = parseRedirects(`/a /${'b'.repeat(1_000)}`, 'cloudflare');
    expect(skipped[0]!.message).toMatch(/1004 characters/);
  });

  it('leaves out a splat or folder rewritten to an index page, which Pages ignores as a loop (wrangler 4.80.0)', () => {
    const { problems, skipped } = parseRedirects(['/app/* /index.html 200', '/docs/ /docs/index 301', '/app/* / 200', '/x/* https://e.example/index.html 302'].join('\n'), 'cloudflare');
    expect(problems).toEqual([]);
    expect(skipped.map((p) => [p.line, p.fix])).toEqual([
      [1, 'write the target as the folder\'s path: /'],
      [2, 'write the target as the folder\'s path: /docs/'],
    ]);
    // Netlify follows the same rule (its SPA example).
    expect(parseRedirects('/app/* /index.html 200', 'netlify').problems).toEqual([]);
  });
});
