/**
 * `_headers` paths no CloudFront path pattern expresses (placeholders), on the Astro build made
 * by Astro's own tools, set up as `edgeship init` sets it up (atomic deploys: the url-handler
 * rewrites every page to `/_deploys/<id>/...`): the local edge runs the viewer-response function
 * edgeship writes and answers each path with the headers Netlify would send; `synth` puts the
 * same code on the same behaviors; `audit` finds every rule served as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteModel } from '../../src/config/model.js';
import type { RunningEdge } from '../../src/edge/index.js';
import { RESPONSE_FUNCTION } from '../../src/response-function/site.js';
import { compiledFunctionsDir } from '../../src/config/generated.js';
import { FsStore } from '../../src/store/fs-store.js';
import { EdgeshipSite } from '../../src/synth/index.js';
import { STRICT_VALIDATION } from '../../src/synth/stack.js';
import { request } from '../edge/fixture.js';
import { serveInitSite, type ServedSite } from '../helpers/served-site.js';
import { auditSite } from '../../src/audit/index.js';

// Netlify's syntax (https://docs.netlify.com/routing/headers/): every matching rule applies; a
// header a later rule sets again replaces the earlier value (src/headers-file/parse.ts).
const HEADERS = `/*
  X-Site: astro
/blog/:slug/
  X-Post: yes
  X-Site: post
/about/
  X-About: yes
`;

let dir: string;
let site: SiteModel;
let edge: RunningEdge;
let served: ServedSite;
beforeAll(async () => {
  served = await serveInitSite('astro', { atomic: true, files: { 'dist/_headers': HEADERS } });
  ({ dir, site, edge } = served);
}, 120_000);
afterAll(async () => {
  await served?.close();
});

const NAMES = ['x-site', 'x-post', 'x-about'];
const pick = (h: Record<string, string | string[] | undefined>) => Object.fromEntries(NAMES.filter((n) => h[n] !== undefined).map((n) => [n, h[n]]));

describe('_headers placeholders through serve (viewer-response function)', () => {
  it.each([
    // /blog/:slug/ and /* both match: the later rule's X-Site, across the function and the policy's rules.
    ['/blog/hello/', { 'x-site': 'post', 'x-post': 'yes' }],
    ['/blog/world/', { 'x-site': 'post', 'x-post': 'yes' }],
    // An exact path is a behavior whose policy has both rules; no placeholder rule reaches it.
    ['/about/', { 'x-site': 'astro', 'x-about': 'yes' }],
    ['/', { 'x-site': 'astro' }],
  ])('%s', async (url, expected) => {
    const reply = await request(`${edge.url}${url}`);
    expect(reply.status).toBe(200);
    expect(pick(reply.headers)).toEqual(expected);
  });

  it('an asset under a behavior no placeholder rule reaches gets /* from its policy, without the function', async () => {
    const asset = fs.readdirSync(path.join(dir, 'dist/_astro'))[0]!;
    const reply = await request(`${edge.url}/_astro/${asset}`);
    expect(reply.status).toBe(200);
    expect(pick(reply.headers)).toEqual({ 'x-site': 'astro' });
    expect(site.behaviors.find((b) => b.path === '_astro/*')!.functions?.viewerResponse).toBeUndefined();
  });
});

describe('_headers placeholders through synth', () => {
  it('the same code runs as the viewer-response function of the same behaviors', () => {
    const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'HeadersFunction');
    new EdgeshipSite(stack, 'Site', { config: site });
    const template = Template.fromStack(stack);
    const code = fs.readFileSync(path.join(compiledFunctionsDir(dir), RESPONSE_FUNCTION), 'utf8');
    const functions = Object.entries(template.findResources('AWS::CloudFront::Function'));
    const headersFn = functions.find(([, f]) => f.Properties.FunctionCode === code);
    expect(headersFn, 'a CloudFront Function with the code the edge ran').toBeDefined();
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    type Behavior = { PathPattern?: string; FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt': string[] } }[] };
    const responseFunctions = (b: Behavior) =>
      (b.FunctionAssociations ?? []).filter((a) => a.EventType === 'viewer-response').map((a) => a.FunctionARN['Fn::GetAtt'][0]);
    expect(responseFunctions(config.DefaultCacheBehavior)).toEqual([headersFn![0]]);
    // about/ is its own behavior, which /blog/:slug/ cannot reach: its policy sends both of its rules.
    expect(config.CacheBehaviors.map((b: Behavior) => [b.PathPattern, responseFunctions(b).length])).toEqual([
      ['_astro/*', 0],
      ['images/*', 0],
      ['about/', 0],
    ]);
  });
});

describe('_headers placeholders through audit', () => {
  it('every rule is served as written, the placeholder rule included', async () => {
    const report = await auditSite({ baseUrl: edge.url, site, store: new FsStore(path.join(dir, '.edgeship/store')), secondPass: false });
    const findings = report.findings.filter((f) => f.rule.startsWith('headers-')).map((f) => [f.rule, f.message]);
    expect(findings).toEqual([]);
    // Not vacuous: each rule was checked on a page (a broken function fails this test, see the serve cases).
    expect(report.findings.filter((f) => f.rule === 'headers-unmatched')).toEqual([]);
  });
});
