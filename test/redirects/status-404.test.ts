/**
 * Netlify's 404 rules ("404: ... present custom 404 pages ... the page content will change, but
 * the URL in the browser address bar will not", redirect-options) on the Astro build made by
 * Astro's own tools, set up as `edgeship init` sets it up, in place and atomic: the url-handler
 * rewrites a missing path to the rule's page and marks the status; edgeship's viewer-response
 * function answers it with 404 (a viewer-response function may change the status, spec §7.3)
 * and, from the same code, sets the `_headers` rule no path pattern expresses. A page that is
 * served shadows the rule (Netlify: a rule without "!" applies only where no file is served).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../edge/fixture.js';
import { serveInitSite, type ServedSite } from '../helpers/served-site.js';

const BLOG_404 = '<!DOCTYPE html><title>No such post</title><p>blog-404</p>';
// A per-section 404 page (as Astro's docs write /:lang/* /:lang/404/ 404), the site's own 404 page, an exact path.
const REDIRECTS = `/blog/*      /blog/404/   404
/gone        /404.html    404
`;
// A placeholder path: no CloudFront path pattern says it, so it is the viewer-response function's too.
const HEADERS = `/blog/:slug/
  X-Post: yes
`;

describe.each([false, true])('404 rules at the local edge (atomic: %s)', (atomic) => {
  let served: ServedSite;
  beforeAll(async () => {
    served = await serveInitSite('astro', {
      atomic,
      files: { 'dist/blog/404/index.html': BLOG_404, 'dist/_redirects': REDIRECTS, 'dist/_headers': HEADERS },
    });
  }, 120_000);
  afterAll(async () => {
    await served?.close();
  });

  const page = (name: string) => fs.readFileSync(path.join(served.dir, 'dist', name), 'utf8');
  const ask = async (url: string) => {
    const reply = await request(`${served.edge.url}${url}`);
    return { status: reply.status, body: reply.body.toString(), post: reply.headers['x-post'], location: reply.headers.location };
  };

  it('a missing path under /blog/ answers 404 with the section 404 page, at the same URL, and the _headers rule', async () => {
    const first = await request(`${served.edge.url}/blog/nope/`);
    expect(first.headers['x-cache']).toBe('Miss from cloudfront');
    // The second answer comes from the cache (the 404 page's object, under its own key), and the function still sets 404.
    const second = await request(`${served.edge.url}/blog/nope/`);
    expect(second.headers['x-cache']).toBe('Hit from cloudfront');
    for (const reply of [first, second]) {
      expect({ status: reply.status, body: reply.body.toString(), post: reply.headers['x-post'], location: reply.headers.location }).toEqual({ status: 404, body: BLOG_404, post: 'yes', location: undefined });
    }
  });

  it('a served page under /blog/ shadows the rule: 200 with its own page, before and after the 404 is cached', async () => {
    for (const url of ['/blog/hello/', '/blog/nope/', '/blog/hello/', '/blog/world/', '/blog/other/', '/blog/world/']) {
      const reply = await ask(url);
      const want = url === '/blog/hello/' || url === '/blog/world/' ? { status: 200, body: page(`${url.slice(1)}index.html`) } : { status: 404, body: BLOG_404 };
      expect({ status: reply.status, body: reply.body }, url).toEqual(want);
    }
  });

  it("the rule's page at its own URL is a page like any other: 200", async () => {
    expect(await ask('/blog/404/')).toMatchObject({ status: 200, body: BLOG_404 });
  });

  it('an exact 404 rule (a KeyValueStore key) answers the site 404 page with 404, twice', async () => {
    for (let i = 0; i < 2; i++) expect(await ask('/gone')).toMatchObject({ status: 404, body: page('404.html') });
  });

  it('pages no rule reaches keep their status', async () => {
    expect((await ask('/about/')).status).toBe(200);
    expect((await ask('/')).status).toBe(200);
    expect((await ask('/blog/hello')).status).toBe(301);
  });
});
