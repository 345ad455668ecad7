/**
 * `_headers` rules for the viewer-response function through the CLI: `explain` shows the function
 * and the lines that match; what the function cannot do is refused before anything runs, naming
 * the file and the fix (exit 2): a viewer-request function that rewrites the URI without keeping
 * the viewer's path, and more rules than 10 KB of function code holds.
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
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-headers-refused-'));
  write({ 'edgeship.config.mjs': CONFIG, 'out/index.html': 'home', 'out/blog/a/index.html': 'a' });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('_headers rules for the viewer-response function', () => {
  it('run with the url-handler init writes: explain shows the function on the page behavior', async () => {
    write({ 'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!, 'out/_headers': '/blog/:slug/\n  X-Post: yes\n' });
    const { code, stdout } = await cli(root, 'explain', '/blog/a/', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0].functions.viewerResponse).toBe('.edgeship/functions/viewer-response.js');
  });

  it('explain names every _headers line that matches a URL and what they send there', async () => {
    write({ 'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!, 'out/_headers': '/*\n  X-Site: a\n/blog/:slug/\n  X-Site: b\n  X-Post: yes\n/about\n  X-About: 1\n' });
    const json = await cli(root, 'explain', '/blog/a/', '/', '--json');
    const [post, home] = JSON.parse(json.stdout) as { headersFile?: { at: string[]; headers: Record<string, string> } }[];
    // Netlify: the later rule's X-Site replaces the earlier one's (parse.ts).
    expect(post!.headersFile).toEqual({ at: ['out/_headers:1', 'out/_headers:3'], headers: { 'X-Site': 'b', 'X-Post': 'yes' }, dialect: 'netlify' });
    expect(home!.headersFile!.at).toEqual(['out/_headers:1']);
    const text = await cli(root, 'explain', '/blog/a/');
    expect(text.stdout).toContain('  _headers        out/_headers:1, out/_headers:3: X-Site: b | X-Post: yes');
  });

  it('refuse a viewer-request function that rewrites the path without keeping it, naming it and the line to add', async () => {
    write({ 'edge/url-handler.js': 'function handler(event) { var r = event.request; r.uri += "index.html"; return r; }\n', 'out/_headers': '/blog/:slug/\n  X-Post: yes\n' });
    const { code, stderr } = await cli(root, 'explain', '/');
    expect(code).toBe(2);
    expect(stderr).toContain('edge/url-handler.js runs before the _headers viewer-response function');
    expect(stderr).toContain("request.headers['x-edgeship-path'] = { value: request.uri };");
  });

  it('refuse more of them than 10 KB of function code holds, saying how to turn them into behaviors', async () => {
    const rules = Array.from({ length: 300 }, (_, i) => `/section-${i}/:slug\n  X-Section: ${i}\n`).join('');
    write({ 'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!, 'out/_headers': rules });
    const { code, stderr } = await cli(root, 'explain', '/');
    expect(code).toBe(2);
    expect(stderr).toMatch(/out\/_headers: the rules no CloudFront path pattern expresses make viewer-response\.js \d+ bytes; a CloudFront Function holds at most 10,240/);
    expect(stderr).toContain('exact paths or prefixes ending in "*"');
  });
});
