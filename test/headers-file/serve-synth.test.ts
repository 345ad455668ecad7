/**
 * Cloudflare Pages' `_headers` example (https://developers.cloudflare.com/pages/configuration/headers/)
 * on a real site: deployed to the embedded store and served by the local edge, which sends
 * each path's headers; and synthesized, where the same paths are cache behaviors with response
 * headers policies. One table, so the two agree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import { deploySite } from '../../src/deploy/deploy.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { FsStore } from '../../src/store/fs-store.js';
import { EdgeshipSite } from '../../src/synth/index.js';
import { STRICT_VALIDATION } from '../../src/synth/stack.js';
import { request } from '../edge/fixture.js';

// Cloudflare Pages' documented example (https://developers.cloudflare.com/pages/configuration/headers/).
const HEADERS = fs.readFileSync(new URL('../fixtures/platform-files/cloudflare-example._headers', import.meta.url), 'utf8');
const CONFIG = { site: 'out', platformFiles: { dialect: 'cloudflare' as const }, behaviors: [{ path: 'static/img/*', cache: 'immutable' as const }] };

let root: string;
let site: SiteModel;
let edge: RunningEdge;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-headers-'));
  const files: Record<string, string> = {
    'out/index.html': 'home',
    'out/secure/page': 'secret',
    'out/static/app.js': 'app()',
    'out/static/img/logo.svg': '<svg/>',
    'out/_headers': HEADERS,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  site = resolveConfig(CONFIG, root);
  const report = await deploySite(site);
  expect(report.actions.map((a) => a.key)).not.toContain('_headers');
  edge = await startEdge({ site, store: new FsStore(path.join(root, '.edgeship/store')), port: 0, announce: false });
}, 60_000);
afterAll(async () => {
  await edge?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const pick = (h: Record<string, string | string[] | undefined>, names: string[]) => Object.fromEntries(names.filter((n) => h[n] !== undefined).map((n) => [n, h[n]]));
const NAMES = ['x-frame-options', 'x-content-type-options', 'referrer-policy', 'access-control-allow-origin', 'x-robots-tag'];

describe('_headers through serve', () => {
  it.each([
    ['/secure/page', { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' }],
    ['/static/app.js', { 'access-control-allow-origin': '*', 'x-robots-tag': 'nosnippet' }],
    // Inside an immutable behavior the rule holds all of: the headers reach it too, and it stays immutable.
    ['/static/img/logo.svg', { 'access-control-allow-origin': '*', 'x-robots-tag': 'nosnippet' }],
    ['/index.html', {}],
  ])('%s gets exactly its headers', async (url, expected) => {
    const reply = await request(`${edge.url}${url}`);
    expect(reply.status).toBe(200);
    expect(pick(reply.headers, NAMES)).toEqual(expected);
  });

  it('the immutable behavior keeps its cache intent', async () => {
    expect((await request(`${edge.url}/static/img/logo.svg`)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('_headers through synth', () => {
  it('the same paths are behaviors with response headers policies', () => {
    const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Headers');
    new EdgeshipSite(stack, 'Site', { config: CONFIG, rootDir: root });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 2);
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(config.CacheBehaviors.map((b: { PathPattern: string; ResponseHeadersPolicyId?: unknown }) => [b.PathPattern, b.ResponseHeadersPolicyId !== undefined])).toEqual([
      ['static/img/*', true],
      ['secure/page', true],
      ['static/*', true],
    ]);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: { FrameOptions: { FrameOption: 'DENY', Override: true }, ContentTypeOptions: { Override: true }, ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true } },
      },
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        CustomHeadersConfig: { Items: [{ Header: 'Access-Control-Allow-Origin', Value: '*', Override: true }, { Header: 'X-Robots-Tag', Value: 'nosnippet', Override: true }] },
      },
    });
  });
});
