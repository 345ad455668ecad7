/**
 * `audit` of a Netlify site's `_headers` and `_redirects` at the real local edge: every
 * `_headers` rule is checked on a deployed path it matches, a rule that matches nothing is a
 * warning, and a rule without "!" that a file shadows (Netlify serves the file) is named,
 * while a forced one is not. Then the same edge audited against a `_headers` changed since the
 * deploy: each header that differs is reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSite, type AuditReport } from '../../src/audit/index.js';
import { presetFiles } from '../../src/cli/init.js';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { parseHeaders } from '../../src/headers-file/parse.js';
import { FsStore } from '../../src/store/fs-store.js';

const HEADERS = [
  '/*',
  '  X-Robots-Tag: noindex',
  '/about/*',
  '  X-Frame-Options: deny',
  '  Strict-Transport-Security: max-age=31536000;includeSubDomains',
  '/static/*',
  '  Access-Control-Allow-Origin: *',
  '/nothing/*',
  '  X-Test: 1',
  '',
].join('\n');

let root: string;
let site: SiteModel;
let store: FsStore;
let edge: RunningEdge;
let report: AuditReport;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-platform-audit-'));
  const files: Record<string, string> = {
    'out/index.html': '<a href="/about/">about</a><script src="/static/app.js"></script>',
    'out/about/index.html': 'about',
    'out/old/index.html': 'the old page, still deployed',
    'out/blog/x/index.html': 'a post',
    'out/forced/index.html': 'replaced by its rule',
    'out/static/app.js': 'app()',
    // Lines 1 and 2 are shadowed by the files above; line 4 is forced over its file.
    'out/_redirects': '/old /about/ 301\n/blog/* /about/ 302\n/team /about/ 301\n/forced /about/ 301!\n',
    'out/_headers': HEADERS,
    'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  site = resolveConfig({ site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] }, root);
  await deploySite(site);
  store = new FsStore(path.join(root, '.edgeship/store'));
  edge = await startEdge({ site, store, port: 0, announce: false });
  report = await auditSite({ baseUrl: edge.url, site, store, secondPass: false });
}, 60_000);
afterAll(async () => {
  await edge?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const of = (r: AuditReport, rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => [new URL(f.url).pathname, f.message]);

describe('audit of _headers and _redirects at the local edge (Netlify)', () => {
  it('every _headers rule is served as written (X-Frame-Options and HSTS as CloudFront writes them)', () => {
    expect(of(report, 'headers-rule')).toEqual([]);
  });

  it('a _headers rule that matches nothing deployed is a warning', () => {
    expect(of(report, 'headers-unmatched')).toEqual([['/nothing/', '_headers:8 (/nothing/*) matches nothing deployed']]);
  });

  it('names each rule a file shadows, with the file and the fix; not the forced one', () => {
    expect(of(report, 'redirect-shadowed')).toEqual([
      ['/old', '_redirects line 1 (/old /about/ 301) never answers at /old: the file old/index.html is served there, and Netlify serves a file over a rule without "!"; add "!" after the status to force it (/old /about/ 301!), or remove old/index.html or the rule'],
      ['/blog/x', '_redirects line 2 (/blog/* /about/ 302) never answers at /blog/x, the path it was asked at,: the file blog/x/index.html is served there, and Netlify serves a file over a rule without "!"; add "!" after the status to force it (/blog/* /about/ 302!), or remove blog/x/index.html or the rule'],
    ]);
    // The shadowed rules answer what the matcher expects (the files): no redirect-rule error.
    expect(of(report, 'redirect-rule')).toEqual([]);
  });

  it('a _headers changed since the deploy: each header that differs is reported, at the path checked', async () => {
    const changed = HEADERS.replace('X-Frame-Options: deny', 'X-Frame-Options: SAMEORIGIN').replace('Allow-Origin: *', 'Allow-Origin: https://a.example');
    const drifted = { ...site, headersFile: { ...site.headersFile!, rules: parseHeaders(changed, 'netlify').rules } };
    const again = await auditSite({ baseUrl: edge.url, site: drifted, store, secondPass: false });
    expect(of(again, 'headers-rule')).toEqual([
      ['/about/', '_headers:3: /about/ should send X-Frame-Options: "SAMEORIGIN"; got "DENY"'],
      ['/static/app.js', '_headers:6: /static/app.js should send Access-Control-Allow-Origin: "https://a.example"; got "*"'],
    ]);
  });
});
