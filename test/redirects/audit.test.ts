/**
 * `audit` checks every `_redirects` rule against the site the local edge serves: the answer
 * the file promises, a target that is served, and one hop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../../src/audit/index.js';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';

let root: string;
let edge: RunningEdge;
let findings: { url: string; message: string }[];
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redirects-audit-'));
  const files: Record<string, string> = {
    'out/index.html': '<a href="/about/">about</a>',
    'out/about/index.html': 'about',
    // Line 1 is right; line 2 points at a page that is not there; line 3 at /about, which the
    // url-handler sends on to /about/ (a chain); line 4 is a splat to the right pages; line 5 a
    // 404 page (Netlify), right when it answers 404 at the URL asked.
    'out/_redirects': '/old-about /about/ 301\n/gone /nowhere/ 302\n/team /about 301\n/docs/* /about/ 302\n/fr/* /404.html 404\n',
    'out/404.html': 'not found',
    'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const site = resolveConfig({ site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] }, root);
  await deploySite(site);
  const store = new FsStore(path.join(root, '.edgeship/store'));
  edge = await startEdge({ site, store, port: 0, announce: false });
  const report = await auditSite({ baseUrl: edge.url, site, store, secondPass: false });
  findings = report.findings.filter((f) => f.rule === 'redirect-rule');
}, 60_000);
afterAll(async () => {
  await edge?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('audit of _redirects at the local edge', () => {
  it('reports the rule whose target is not served and the rule that makes a chain, and no other', () => {
    expect(findings.map((f) => [new URL(f.url).pathname, f.message])).toEqual([
      // A missing key behind S3 with OAC answers 403, as CloudFront relays it.
      ['/gone', `_redirects line 2 (/gone /nowhere/ 302) its target ${edge.url}/nowhere/ answers 403`],
      ['/team', '_redirects line 3 (/team /about 301) a chain of 2 redirects: /team -> /about -> /about/'],
    ]);
  });
});
