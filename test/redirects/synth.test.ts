/**
 * `_redirects` through synth: the stack's viewer-request function is the compiled url-handler
 * (its pattern rules inside, under 10 KB), associated with the stack's KeyValueStore, where the
 * deploy writes the exact-path rules. Country rules get CloudFront-Viewer-Country added on the
 * url-handler's behaviors by an origin request policy, outside the cache key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';
import { EdgeshipSite } from '../../src/synth/index.js';
import { STRICT_VALIDATION } from '../../src/synth/stack.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-redirects-synth-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('_redirects through synth', () => {
  it('deploys the compiled function with the KeyValueStore associated', () => {
    const template = synthesize('plain', '/home /\n/news/* /blog/:splat 302\n', { site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] });
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    // No Country rule: nothing for CloudFront to add, so no origin request policy.
    template.resourceCountIs('AWS::CloudFront::OriginRequestPolicy', 0);
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0]!;
    const code = fn.Properties.FunctionCode as string;
    expect(code).toBe(fs.readFileSync(path.join(root, 'plain/.edgeship/functions/url-handler.js'), 'utf8'));
    expect(code).toContain('[2,"^/news(?:/(.*))?$","splat","/blog/:splat",302]');
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(10_240);
    expect(fn.Properties.FunctionConfig.KeyValueStoreAssociations).toHaveLength(1);
  });

  describe('Country rules (adding-cloudfront-headers.html: CloudFront adds the header only when a policy names it)', () => {
    const html = { edge: '5m', browser: 0 } as const;
    const config: EdgeshipConfig = {
      site: 'out',
      behaviors: [
        { path: '_astro/*', cache: 'immutable' },
        { path: 'blog/*', cache: html, functions: { viewerRequest: 'edge/url-handler.js' } },
        { path: 'api/*', cache: 'no-store', functions: { viewerRequest: 'edge/url-handler.js' } },
        { path: '*', cache: html, functions: { viewerRequest: 'edge/url-handler.js' } },
      ],
    };
    const rules = '/news/* /blog/:splat 302\n';
    let withCountry: Template;
    let without: Template;
    beforeAll(() => {
      withCountry = synthesize('country', `/  /fr/  302!  Country=fr\n${rules}`, config);
      without = synthesize('no-country', rules, config);
    });
    const distribution = (t: Template) => Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const ref = (value: unknown) => (value as { Ref?: string } | undefined)?.Ref;

    it('one origin request policy adds CloudFront-Viewer-Country and forwards nothing else', () => {
      withCountry.resourceCountIs('AWS::CloudFront::OriginRequestPolicy', 1);
      withCountry.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
        OriginRequestPolicyConfig: {
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['CloudFront-Viewer-Country'] },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          // Names are per account, not per region: the region ends it, as the other policies' names.
          Name: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        },
      });
    });

    it('every behavior that runs the url-handler uses it, the others none', () => {
      const policy = Object.keys(withCountry.findResources('AWS::CloudFront::OriginRequestPolicy'))[0];
      const d = distribution(withCountry);
      const byPattern = Object.fromEntries([...d.CacheBehaviors, d.DefaultCacheBehavior].map((b: { PathPattern?: string; OriginRequestPolicyId?: unknown }) => [b.PathPattern ?? '*', ref(b.OriginRequestPolicyId) ?? null]));
      expect(byPattern).toEqual({ '_astro/*': null, 'blog/*': policy, 'api/*': policy, '*': policy });
    });

    it('the cache policies are the ones the same site gets without Country rules: the country is not in the cache key', () => {
      expect(withCountry.findResources('AWS::CloudFront::CachePolicy')).toEqual(without.findResources('AWS::CloudFront::CachePolicy'));
      const cachePolicies = (t: Template) => [...distribution(t).CacheBehaviors, distribution(t).DefaultCacheBehavior].map((b: { CachePolicyId: unknown }) => b.CachePolicyId);
      expect(cachePolicies(withCountry)).toEqual(cachePolicies(without));
      expect(JSON.stringify(withCountry.findResources('AWS::CloudFront::CachePolicy'))).not.toContain('CloudFront-Viewer-Country');
    });

    it('without Country rules the stack has no origin request policy', () => {
      without.resourceCountIs('AWS::CloudFront::OriginRequestPolicy', 0);
      expect(JSON.stringify(distribution(without))).not.toContain('OriginRequestPolicyId');
    });
  });
});

describe('404 rules through synth (a viewer-response function may change the status, spec §7.3)', () => {
  it("edgeship's viewer-response function runs on every behavior that runs the url-handler, and only there", () => {
    const config: EdgeshipConfig = {
      site: 'out',
      behaviors: [
        { path: '_astro/*', cache: 'immutable' },
        { path: 'blog/*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } },
        { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } },
      ],
    };
    const template = synthesize('status', '/fr/* /fr/404/ 404\n', config);
    const code = fs.readFileSync(path.join(root, 'status/.edgeship/functions/viewer-response.js'), 'utf8');
    expect(code).toContain('var ST = {"404":"Not Found"};');
    const functions = Object.entries(template.findResources('AWS::CloudFront::Function'));
    const responseFn = functions.find(([, f]) => f.Properties.FunctionCode === code);
    expect(responseFn, 'a CloudFront Function with the code the edge runs').toBeDefined();
    expect(responseFn![1].Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const d = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    type Behavior = { PathPattern?: string; FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt': string[] } }[] };
    const events = (b: Behavior) => (b.FunctionAssociations ?? []).map((a) => `${a.EventType}:${a.FunctionARN['Fn::GetAtt'][0] === responseFn![0] ? 'status' : 'other'}`);
    expect(Object.fromEntries([...d.CacheBehaviors, d.DefaultCacheBehavior].map((b: Behavior) => [b.PathPattern ?? '*', events(b)]))).toEqual({
      '_astro/*': [],
      'blog/*': ['viewer-request:other', 'viewer-response:status'],
      '*': ['viewer-request:other', 'viewer-response:status'],
    });
  });

  it('without 404 rules no viewer-response function is written or attached', () => {
    const template = synthesize('no-status', '/fr/* /en/:splat 302\n', { site: 'out', behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/url-handler.js' } }] });
    expect(JSON.stringify(template.toJSON())).not.toContain('"EventType":"viewer-response"');
    expect(fs.existsSync(path.join(root, 'no-status/.edgeship/functions/viewer-response.js'))).toBe(false);
  });
});

/** A stack from `config` over a site folder of its own with this `_redirects` and the url-handler `init` writes for Astro. */
function synthesize(name: string, redirects: string, config: EdgeshipConfig): Template {
  const dir = path.join(root, name);
  const files: Record<string, string> = {
    'out/index.html': 'home',
    'out/_redirects': redirects,
    'edge/url-handler.js': presetFiles('astro', 'example.com', {})['edge/url-handler.js']!,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Redirects');
  new EdgeshipSite(stack, 'Site', { config, rootDir: dir });
  return Template.fromStack(stack);
}
