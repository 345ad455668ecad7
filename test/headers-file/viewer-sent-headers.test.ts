/**
 * The request headers the url-handler hands to edgeship's viewer-response function
 * (`x-edgeship-path`, `x-edgeship-status`) cannot be sent by a viewer to change an answer: on
 * the page behavior the url-handler overwrites them, and a behavior without the url-handler
 * runs the copy of the function that reads neither. On the Astro build, at the local edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_FUNCTION_UNMARKED } from '../../src/response-function/site.js';
import { request } from '../edge/fixture.js';
import { serveInitSite, type ServedSite } from '../helpers/served-site.js';

// /_astro/*.webp has a "*" before its end: a function rule, which reaches the _astro/* behavior (no url-handler there).
const HEADERS = '/blog/:slug/\n  X-Post: yes\n/_astro/*.webp\n  X-Image: yes\n';
const REDIRECTS = '/blog/* /404.html 404\n';

let served: ServedSite;
beforeAll(async () => {
  served = await serveInitSite('astro', { atomic: false, files: { 'dist/_headers': HEADERS, 'dist/_redirects': REDIRECTS } });
}, 120_000);
afterAll(async () => {
  await served?.close();
});

const xs = (h: Record<string, string | string[] | undefined>) => Object.fromEntries(Object.entries(h).filter(([k]) => k === 'x-post' || k === 'x-image'));

describe('headers a viewer sends in the function\'s name', () => {
  it('a page: the url-handler keeps the asked path, whatever the viewer says', async () => {
    const reply = await request(`${served.edge.url}/blog/hello/`, { headers: { 'X-Edgeship-Path': '/about/', 'X-Edgeship-Status': '404' } });
    expect(reply.status).toBe(200);
    expect(xs(reply.headers)).toEqual({ 'x-post': 'yes' });
  });

  it('an asset under a behavior without the url-handler: its own path decides, and its status stays', async () => {
    const image = fs.readdirSync(path.join(served.dir, 'dist/_astro')).find((f) => f.endsWith('.webp'))!;
    const behavior = served.site.behaviors.find((b) => b.path === '_astro/*')!;
    expect(path.basename(behavior.functions!.viewerResponse!)).toBe(RESPONSE_FUNCTION_UNMARKED);
    const reply = await request(`${served.edge.url}/_astro/${image}`, { headers: { 'X-Edgeship-Path': '/blog/hello/', 'X-Edgeship-Status': '404' } });
    expect(reply.status).toBe(200);
    expect(xs(reply.headers)).toEqual({ 'x-image': 'yes' });
  });
});
