/**
 * EdgeshipSite in a user's own CDK app: a minimal and a maximal config, asserted with
 * aws-cdk-lib/assertions. Each template is synthesized once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeshipConfig } from '../config/schema.js';
import { EdgeshipSite } from './index.js';
import { STRICT_VALIDATION } from './stack.js';

let dir: string;
let minimal: Template;
let maximal: Template;
let maximalSite: EdgeshipSite;
let createdLogs: Template;

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

function maximalConfig(): EdgeshipConfig {
  return {
    domain: 'example.org',
    aliases: ['www.example.org', '*.preview.example.org'],
    defaultRootObject: 'home.html',
    behaviors: [
      { path: '/assets/*', cache: 'immutable' },
      { path: 'api/*', cache: 'no-store', compress: false },
      { path: 'search*', cache: { edge: '1h', browser: '1m' }, cacheKey: { queryStrings: ['q', 'page'], headers: ['Accept-Language'], cookies: 'none' } },
      { path: 'feeds/*.xml', cache: { edge: '10m', browser: '1m', staleWhileRevalidate: '1m', staleIfError: '1d' }, headers: 'cors' },
      { path: 'legacy/*', cache: { edge: '1h', browser: '1m' }, compress: false },
      {
        path: '*',
        cache: { edge: '5m', browser: 0 },
        functions: { viewerRequest: 'edge/request.js', viewerResponse: 'edge/response.js' },
        headers: 'strict',
      },
    ],
    headersPolicies: {
      strict: {
        securityHeaders: {
          strictTransportSecurity: { maxAge: '2y', includeSubdomains: true, preload: true, override: true },
          xssProtection: { protection: true, modeBlock: true, override: false },
          contentSecurityPolicy: { policy: "default-src 'self'", override: true },
        },
        removeHeaders: ['Server', 'X-Powered-By'],
      },
      cors: { customHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*', override: false }] },
      unused: { customHeaders: [{ name: 'X-Unused', value: '1' }] },
    },
    errors: [
      { status: 404, page: '/404.html', responseStatus: 404, ttl: '1m' },
      { status: 503, ttl: 0 },
      { status: 403, page: '/index.html', responseStatus: 200 },
    ],
    synth: {
      certificateArn: CERT,
      priceClass: 'PriceClass_100',
      logging: { bucket: 'my-cloudfront-logs', prefix: 'cdn/', includeCookies: true },
    },
  };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-site-'));
  fs.mkdirSync(path.join(dir, 'edge'));
  fs.writeFileSync(path.join(dir, 'edge/request.js'), 'function handler(event) { return event.request; }\n');
  fs.writeFileSync(path.join(dir, 'edge/response.js'), 'function handler(event) { return event.response; }\n');
  const a = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Minimal');
  new EdgeshipSite(a, 'Site', { config: {}, rootDir: dir });
  minimal = Template.fromStack(a);
  const b = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Maximal');
  maximalSite = new EdgeshipSite(b, 'Marketing', { config: maximalConfig(), rootDir: dir, outputPrefix: 'Marketing' });
  maximal = Template.fromStack(b);
  const c = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'CreatedLogs');
  new EdgeshipSite(c, 'Site', { config: { synth: { logging: { prefix: 'logs/' } } }, rootDir: dir });
  createdLogs = Template.fromStack(c);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function distributionConfig(t: Template): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
}

describe('EdgeshipSite, minimal config ({})', () => {
  it('has only the default behavior: 5 min at the edge, compressed, no function, no headers policy', () => {
    const config = distributionConfig(minimal);
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toBeUndefined();
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeUndefined();
    expect(config.DefaultCacheBehavior.Compress).toBe(true);
    minimal.resourceCountIs('AWS::CloudFront::CachePolicy', 1);
    minimal.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: { MinTTL: 0, DefaultTTL: 300, MaxTTL: 300, ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true } },
    });
    minimal.resourceCountIs('AWS::CloudFront::Function', 0);
    minimal.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 0);
  });

  it('has no custom errors, no aliases, no certificate, no logging, the default price class', () => {
    const config = distributionConfig(minimal);
    for (const key of ['CustomErrorResponses', 'Aliases', 'ViewerCertificate', 'Logging', 'PriceClass']) expect(config[key], key).toBeUndefined();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.HttpVersion).toBe('http2and3');
  });

  it('still exports the three outputs deploy reads', () => {
    minimal.hasOutput('BucketName', {});
    minimal.hasOutput('DistributionId', {});
    minimal.hasOutput('DistributionDomainName', {});
  });
});

describe('EdgeshipSite, maximal config', () => {
  it('keeps all five ordered behaviors in config order, leading "/" as written', () => {
    expect(distributionConfig(maximal).CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/assets/*', 'api/*', 'search*', 'feeds/*.xml', 'legacy/*']);
  });

  it('no-store uses the managed CachingDisabled policy (CloudFront refuses compression on TTL 0, spec §2.7)', () => {
    const api = distributionConfig(maximal).CacheBehaviors[1];
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api.Compress).toBe(false);
  });

  it('creates one policy per distinct intent: immutable, search (keyed), feeds (stale windows), legacy (uncompressed), html', () => {
    maximal.resourceCountIs('AWS::CloudFront::CachePolicy', 5);
    maximal.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 3600,
        MaxTTL: 3600,
        ParametersInCacheKeyAndForwardedToOrigin: {
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['q', 'page'] },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Accept-Language'] },
          CookiesConfig: { CookieBehavior: 'none' },
        },
      },
    });
    // MaxTTL leaves room for the stale windows after the edge TTL (src/behavior/table.ts policyTtls).
    maximal.hasResourceProperties('AWS::CloudFront::CachePolicy', { CachePolicyConfig: { MinTTL: 0, DefaultTTL: 600, MaxTTL: 600 + 86_400 } });
    maximal.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: { DefaultTTL: 3600, ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: false, EnableAcceptEncodingBrotli: false, QueryStringsConfig: { QueryStringBehavior: 'none' } } },
    });
  });

  it('associates both viewer functions on the default behavior only, cloudfront-js-2.0', () => {
    const config = distributionConfig(maximal);
    expect(config.DefaultCacheBehavior.FunctionAssociations.map((a: { EventType: string }) => a.EventType)).toEqual(['viewer-request', 'viewer-response']);
    for (const b of config.CacheBehaviors) expect(b.FunctionAssociations).toBeUndefined();
    maximal.resourceCountIs('AWS::CloudFront::Function', 2);
    maximal.allResourcesProperties('AWS::CloudFront::Function', { FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
  });

  it('creates only the headers policies behaviors name, and attaches each where named', () => {
    maximal.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 2);
    const config = distributionConfig(maximal);
    expect(config.CacheBehaviors.map((b: { ResponseHeadersPolicyId?: unknown }) => b.ResponseHeadersPolicyId !== undefined)).toEqual([false, false, false, true, false]);
    maximal.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 2 * 31_536_000, IncludeSubdomains: true, Preload: true, Override: true },
          XSSProtection: { Protection: true, ModeBlock: true, Override: false },
          ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self'", Override: true },
          FrameOptions: Match.absent(),
        },
        RemoveHeadersConfig: { Items: [{ Header: 'Server' }, { Header: 'X-Powered-By' }] },
      },
    });
    maximal.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { CustomHeadersConfig: { Items: [{ Header: 'Access-Control-Allow-Origin', Value: '*', Override: false }] }, SecurityHeadersConfig: Match.absent() },
    });
  });

  it('maps errors: page + code together, a TTL-only entry keeps no page (spec §5.1)', () => {
    expect(distributionConfig(maximal).CustomErrorResponses).toEqual([
      { ErrorCode: 404, ResponsePagePath: '/404.html', ResponseCode: 404, ErrorCachingMinTTL: 60 },
      { ErrorCode: 503, ErrorCachingMinTTL: 0 },
      { ErrorCode: 403, ResponsePagePath: '/index.html', ResponseCode: 200, ErrorCachingMinTTL: 10 },
    ]);
  });

  it('attaches domain and aliases with the certificate, SNI and TLS 1.2 (2021), price class and logging', () => {
    const config = distributionConfig(maximal);
    expect(config.Aliases).toEqual(['example.org', 'www.example.org', '*.preview.example.org']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: CERT, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(config.PriceClass).toBe('PriceClass_100');
    expect(config.Logging).toEqual({ Bucket: 'my-cloudfront-logs.s3.amazonaws.com', Prefix: 'cdn/', IncludeCookies: true });
    expect(config.DefaultRootObject).toBe('home.html');
    expect(maximalSite.warnings).toEqual([]);
  });

  it('prefixes the output keys with outputPrefix when one stack holds several sites', () => {
    maximal.hasOutput('MarketingBucketName', {});
    maximal.hasOutput('MarketingDistributionId', {});
    expect(Object.keys(maximal.findOutputs('*'))).not.toContain('BucketName');
  });
});

describe('EdgeshipSite names: unique per account, so each carries the region', () => {
  it('headers policies, origin access control, cache policies and functions all name AWS::Region', () => {
    const names: [string, unknown][] = [
      ...Object.values(maximal.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map((r) => ['headers policy', r.Properties.ResponseHeadersPolicyConfig.Name] as [string, unknown]),
      ...Object.values(maximal.findResources('AWS::CloudFront::OriginAccessControl')).map((r) => ['OAC', r.Properties.OriginAccessControlConfig.Name] as [string, unknown]),
      ...Object.values(maximal.findResources('AWS::CloudFront::CachePolicy')).map((r) => ['cache policy', r.Properties.CachePolicyConfig.Name] as [string, unknown]),
      ...Object.values(maximal.findResources('AWS::CloudFront::Function')).map((r) => ['function', r.Properties.Name] as [string, unknown]),
    ];
    expect(names.map(([kind]) => kind).sort()).toEqual(['OAC', 'cache policy', 'cache policy', 'cache policy', 'cache policy', 'cache policy', 'function', 'function', 'headers policy', 'headers policy']);
    for (const [kind, name] of names) expect(JSON.stringify(name), kind).toContain('{"Ref":"AWS::Region"}');
    const oac = Object.values(maximal.findResources('AWS::CloudFront::OriginAccessControl'))[0]!.Properties.OriginAccessControlConfig.Name;
    // 49 characters of the construct path, "-" and a region of at most 14: within OAC's 64.
    expect(oac).toEqual({ 'Fn::Join': ['-', [expect.stringMatching(/^Maximal-Marketing-OriginAccessControl.{0,30}$/), { Ref: 'AWS::Region' }]] });
    expect(oac['Fn::Join'][1][0].length).toBeLessThanOrEqual(49);
  });
});

describe('EdgeshipSite, logging without a bucket', () => {
  it('creates a private log bucket with ACLs on (standard logs are delivered with an ACL), owned by the bucket owner, expiring after 90 days', () => {
    createdLogs.resourceCountIs('AWS::S3::Bucket', 2);
    createdLogs.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [{ Id: 'expire-logs', ExpirationInDays: 90, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    expect(distributionConfig(createdLogs).Logging).toMatchObject({ Prefix: 'logs/', Bucket: { 'Fn::GetAtt': [expect.stringMatching(/LogBucket/), 'RegionalDomainName'] } });
  });
});

describe('EdgeshipSite construct ids from user-chosen names', () => {
  it('gives "a-b" and "a_b" policies and two url-handler.js files distinct ids', () => {
    fs.mkdirSync(path.join(dir, 'other'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'other/request.js'), 'function handler(event) { return event.request; }\n');
    const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Ids');
    const site = new EdgeshipSite(stack, 'Site', {
      rootDir: dir,
      config: {
        behaviors: [
          { path: 'a/*', cache: 'immutable', headers: 'a-b', functions: { viewerRequest: 'edge/request.js' } },
          { path: '*', cache: 'immutable', headers: 'a_b', functions: { viewerRequest: 'other/request.js' } },
        ],
        headersPolicies: { 'a-b': { removeHeaders: ['Server'] }, a_b: { removeHeaders: ['X-Powered-By'] } },
      },
    });
    const ids = site.node.children.map((c) => c.node.id);
    expect(ids.filter((id) => id.startsWith('HeadersPolicyAB'))).toEqual(['HeadersPolicyAB', 'HeadersPolicyAB2']);
    expect(ids.filter((id) => id.startsWith('FunctionRequest'))).toEqual(['FunctionRequest', 'FunctionRequest2']);
  });
});
