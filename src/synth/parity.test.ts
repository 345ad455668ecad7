/**
 * Parity between the local edge and the generated distribution (spec §1.2): for each path, the
 * behavior the edge's matcher picks (`compileTable().resolve`) is the one CloudFront picks from
 * the synthesized template (CacheBehaviors[].PathPattern in order, the default last), with the
 * same TTLs, compression, function code and headers policy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchPattern } from '../behavior/pattern.js';
import { compileTable, type BehaviorTable } from '../behavior/table.js';
import { resolveConfig } from '../config/load.js';
import { nextjsExport } from '../config/presets/index.js';
import type { SiteModel } from '../config/model.js';
import { EdgeshipSite } from './site.js';
import { STRICT_VALIDATION } from './stack.js';

/** CloudFront's managed CachingDisabled policy (spec §2.7): every TTL 0. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

interface CfnBehavior {
  PathPattern?: string;
  CachePolicyId: string | { Ref: string };
  Compress: boolean;
  FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[];
  ResponseHeadersPolicyId?: { Ref: string };
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let dir: string;
let site: SiteModel;
let table: BehaviorTable;
let behaviors: CfnBehavior[];
let resources: Resources;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-parity-'));
  fs.mkdirSync(path.join(dir, 'edge'));
  fs.writeFileSync(path.join(dir, 'edge/url-handler.js'), "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; return r; }\n");
  fs.writeFileSync(path.join(dir, 'edge/feed-headers.js'), "function handler(event) { event.response.headers['x-feed'] = { value: '1' }; return event.response; }\n");
  const preset = nextjsExport({ domain: 'example.com' });
  // The preset's table with patterns whose order matters (spec §1.2 and §11 cases 1-3).
  site = resolveConfig(
    {
      ...preset,
      behaviors: [
        { path: 'images/*.jpg', cache: { edge: '1d', browser: '1h' } },
        ...preset.behaviors!.slice(0, 2),
        { path: '*.gif', cache: { edge: '2h', browser: '1h' }, compress: false },
        { path: '/feeds/*.xml', cache: { edge: '10m', browser: '1m', staleIfError: '1h' }, functions: { viewerResponse: 'edge/feed-headers.js' } },
        { path: 'docs/*.doc?', cache: 'no-store' },
        { path: 'v?/api', cache: 'no-store' },
        ...preset.behaviors!.slice(2),
      ],
    },
    dir,
  );
  table = compileTable(site);
  const stack = new Stack(new App({ context: { ...STRICT_VALIDATION } }), 'Parity');
  new EdgeshipSite(stack, 'Site', { config: site });
  const json = Template.fromStack(stack).toJSON() as { Resources: Resources };
  resources = json.Resources;
  const config = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution')!.Properties.DistributionConfig as {
    CacheBehaviors: CfnBehavior[];
    DefaultCacheBehavior: CfnBehavior;
  };
  behaviors = [...config.CacheBehaviors, config.DefaultCacheBehavior];
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What CloudFront does with the template: the first PathPattern that matches, else the default behavior. */
function cloudFrontPick(urlPath: string): { index: number; behavior: CfnBehavior } {
  const index = behaviors.findIndex((b) => b.PathPattern !== undefined && matchPattern(b.PathPattern, urlPath));
  const i = index === -1 ? behaviors.length - 1 : index;
  return { index: i, behavior: behaviors[i]! };
}

function ttls(b: CfnBehavior): [number, number, number] {
  if (b.CachePolicyId === CACHING_DISABLED) return [0, 0, 0];
  const policy = resources[(b.CachePolicyId as { Ref: string }).Ref]!.Properties.CachePolicyConfig as { MinTTL: number; DefaultTTL: number; MaxTTL: number };
  return [policy.MinTTL, policy.DefaultTTL, policy.MaxTTL];
}

function functionCode(b: CfnBehavior, event: string): string | undefined {
  const a = b.FunctionAssociations?.find((f) => f.EventType === event);
  return a && (resources[a.FunctionARN['Fn::GetAtt'][0]]!.Properties.FunctionCode as string);
}

interface HeadersPolicyJson {
  Comment: string;
  SecurityHeadersConfig?: { ContentSecurityPolicy?: { ContentSecurityPolicy: string }; StrictTransportSecurity?: { AccessControlMaxAgeSec: number } };
}

function headersPolicy(b: CfnBehavior): HeadersPolicyJson | undefined {
  if (!b.ResponseHeadersPolicyId) return undefined;
  return resources[b.ResponseHeadersPolicyId.Ref]!.Properties.ResponseHeadersPolicyConfig as HeadersPolicyJson;
}

const PATHS = [
  '/',
  '/index.html',
  '/about',
  '/about/',
  '/images/hero.jpg',
  '/images/a/b/photo.jpg', // `*` crosses `/`
  '/images/LOGO.JPG', // case-sensitive: not images/*.jpg, but images/*
  '/images/anim.gif', // images/* before *.gif (spec §11 case 1)
  '/anim.gif',
  '/deep/path/anim.gif?v=2', // query string ignored
  '/_next/static/chunks/main-abc123.js',
  '/_next/data/build/page.json',
  '/feeds/news.xml',
  '/feeds/2024/news.xml',
  '/docs/a.docx',
  '/docs/a.doc', // `?` needs one character (spec §11 case 3)
  '/v1/api',
  '/v10/api',
  '/with space.txt',
  '/ümlaut/ä.html',
  '/images',
];

describe('local edge and CloudFront pick the same behavior for every path (spec §1.2)', () => {
  it.each(PATHS)('%s', (urlPath) => {
    const local = table.resolve(urlPath);
    const cf = cloudFrontPick(urlPath);
    expect(cf.index).toBe(local.index);
    expect(cf.behavior.PathPattern ?? '*').toBe(local.isDefault ? '*' : local.pattern);
    expect(ttls(cf.behavior)).toEqual([local.policy.minTtl, local.policy.defaultTtl, local.policy.maxTtl]);
    expect(cf.behavior.Compress).toBe(local.compress);
    for (const [event, ref] of [['viewer-request', local.functions.viewerRequest], ['viewer-response', local.functions.viewerResponse]] as const) {
      expect(functionCode(cf.behavior, event), event).toBe(ref ? fs.readFileSync(ref.file, 'utf8') : undefined);
    }
    const policy = headersPolicy(cf.behavior);
    expect(policy?.Comment).toBe(local.headersPolicy ? `edgeship headers policy "${local.headersPolicy.name}"` : undefined);
    const security = local.headersPolicy?.config.securityHeaders;
    expect(policy?.SecurityHeadersConfig?.ContentSecurityPolicy?.ContentSecurityPolicy).toBe(security?.contentSecurityPolicy?.policy);
    expect(policy?.SecurityHeadersConfig?.StrictTransportSecurity?.AccessControlMaxAgeSec).toBe(security?.strictTransportSecurity?.maxAge);
  });

  it('covers every behavior of the table with the paths above', () => {
    const hit = new Set(PATHS.map((p) => table.resolve(p).index));
    expect([...hit].sort((a, b) => a - b)).toEqual(table.behaviors.map((b) => b.index));
  });

  it('custom error pages route like any path: /404.html takes the default behavior (spec §1.2)', () => {
    for (const e of site.errors) expect(cloudFrontPick(e.page!).index).toBe(table.resolve(e.page!).index);
  });
});
