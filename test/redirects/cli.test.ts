/**
 * `_redirects` through the CLI: `explain` names the rule (file:line) that answers a URL and
 * what the function does with it; a bad file is refused with every bad line, exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { cli } from '../helpers/cli.js';
import { writeTree } from '../helpers/tree.js';

let root: string;
const CONFIG = `export default { site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] };\n`;

const write = (files: Record<string, string>) => writeTree(root, files);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redirects-cli-'));
  write({
    'edgeship.config.mjs': CONFIG,
    'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
    'out/index.html': 'home',
    'out/about/index.html': 'about',
  });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('explain with _redirects', () => {
  it('names the rule that answers, and the function answers as it says', async () => {
    write({ 'out/_redirects': '# moved\n/home /\n/news/* /blog/:splat 302\n/about /company\n' });
    const { code, stdout } = await cli(root, 'explain', '/home', '/news/a/b?x=1', '/about/', '--json');
    expect(code).toBe(0);
    const [home, news, about] = JSON.parse(stdout) as { redirect?: { at: string; rule: string; target: string }; functionResponse?: { status: number; location: string } }[];
    expect(home!.redirect).toMatchObject({ at: 'out/_redirects:2', rule: '/home / 301', target: '/' });
    expect(home!.functionResponse).toEqual({ status: 301, location: '/' });
    expect(news!.redirect).toMatchObject({ at: 'out/_redirects:3', target: '/blog/a/b?x=1' });
    expect(news!.functionResponse).toEqual({ status: 302, location: '/blog/a/b?x=1' });
    // A page is served at /about/: Netlify's rule without "!" does not shadow it.
    expect(about!.redirect).toBeUndefined();
    expect(about!.functionResponse).toBeUndefined();
  });

  it('prints the rule in the text output', async () => {
    write({ 'out/_redirects': '/home / 308\n' });
    const { stdout } = await cli(root, 'explain', '/home');
    expect(stdout).toContain('redirect rule   out/_redirects:1: /home / 308 (netlify)');
  });

  it('shows a 404 rule: the object of its page, answered with 404 by the viewer-response function', async () => {
    write({ 'out/_redirects': '/fr/* /404.html 404\n', 'out/404.html': 'not found' });
    const json = await cli(root, 'explain', '/fr/nope/', '--json');
    const [nope] = JSON.parse(json.stdout) as { object: string; redirect?: { status: number; target: string }; functionResponse?: unknown; functions: { viewerResponse: string } }[];
    expect(nope).toMatchObject({ object: '404.html', redirect: { status: 404, target: '/404.html' }, functions: { viewerResponse: '.edgeship/functions/viewer-response.js' } });
    expect(nope!.functionResponse).toBeUndefined();
    const { stdout } = await cli(root, 'explain', '/fr/nope/');
    expect(stdout).toContain('redirect rule   out/_redirects:1: /fr/* /404.html 404 (netlify)');
    expect(stdout).toContain('status          404 (set by .edgeship/functions/viewer-response.js)');
  });

  it("refuses 404 rules where the url-handler's behavior runs a viewer-response function of its own", async () => {
    write({
      'edgeship.config.mjs': CONFIG.replace("viewerRequest: 'edge/url-handler.js'", "viewerRequest: 'edge/url-handler.js', viewerResponse: 'edge/mine.js'"),
      'edge/mine.js': 'function handler(event) { return event.response; }\n',
      'out/_redirects': '/fr/* /404.html 404\n',
    });
    const { code, stderr } = await cli(root, 'explain', '/');
    expect(code).toBe(2);
    expect(stderr).toContain("out/_redirects: its 404 rules need edgeship's viewer-response function (it sets the status) on behavior *, which already runs");
    expect(stderr).toContain('edge/mine.js (CloudFront allows one per event, spec §7)');
  });

  it('refuses a bad file with every bad line, its fix, and exit 2', async () => {
    write({ 'out/_redirects': '/ok /fine\n/gone /closed 410\nnope /x\n/a /b 301\n' });
    const { code, stderr } = await cli(root, 'explain', '/');
    expect(code).toBe(2);
    expect(stderr).toContain('out/_redirects: 2 bad line(s) (netlify dialect)');
    expect(stderr).toContain('out/_redirects:2: "410" is not a status');
    expect(stderr).toContain('out/_redirects:3: the source "nope" does not start with "/"');
    expect(stderr).toMatch(/fix: use 200 \(rewrite\), 404 \(the target page, answered as not found\) or 301, 302, 303, 307, 308/);
  });

  it('refuses a loop before anything is deployed', async () => {
    write({ 'out/_redirects': '/a /b\n/b /a\n' });
    const { code, stderr } = await cli(root, 'deploy');
    expect(code).toBe(2);
    expect(stderr).toContain('a loop: /a -> /b -> /a (lines 1, 2)');
  });

  it("reads Cloudflare's dialect when the config says so", async () => {
    write({
      'edgeship.config.mjs': CONFIG.replace("site: 'out',", "site: 'out', platformFiles: { dialect: 'cloudflare' },"),
      'out/_redirects': '/about /company\n',
    });
    const { stdout } = await cli(root, 'explain', '/about', '--json');
    // Cloudflare follows the rule over the page, with its default 302.
    expect(JSON.parse(stdout)[0].functionResponse).toEqual({ status: 302, location: '/company' });
  });
});

describe('lines no request here would reach, and rules a file shadows', () => {
  it('leaves out a rule for a Netlify host with a warning naming the line, and loads the rest', async () => {
    write({ 'out/_redirects': 'https://mysite.netlify.app/* https://example.com/:splat 301!\n/home / 301\n' });
    const { code, stdout, stderr } = await cli(root, 'explain', '/home', '--json');
    expect(code).toBe(0);
    expect(stderr).toContain('warning: out/_redirects:1: left out "https://mysite.netlify.app/* https://example.com/:splat 301!": a rule for mysite.netlify.app, a Netlify or Cloudflare Pages host: its requests never reach this distribution');
    expect(JSON.parse(stdout)[0].functionResponse).toEqual({ status: 301, location: '/' });
  });

  it('is no loop where a file shadows the rule (Netlify skips a rule without "!" where a file is served)', async () => {
    write({ 'out/_redirects': '/about/ /about 301\n' });
    const { code, stdout } = await cli(root, 'explain', '/about/', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0].object).toBe('about/index.html');
    // Forced, it loops, and is refused.
    write({ 'out/_redirects': '/about/ /about 301!\n' });
    expect((await cli(root, 'explain', '/')).code).toBe(2);
  });
});
