/**
 * `edgeship init --preset nextjs-export && edgeship synth` in an empty folder: the template a CDK
 * user reviews. Synthesized once (CLI, real aws-cdk-lib), asserted with aws-cdk-lib/assertions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { memoryIo } from '../cli/io.js';
import { runCli } from '../cli/program.js';

const ONE_YEAR = 31_536_000;
let dir: string;
let template: Template;
// Template JSON is read by path; its shape is what the assertions check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let json: { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs: Record<string, unknown> };
let synthOut: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-preset-'));
  const io = memoryIo(dir);
  expect(await runCli(['init', '--preset', 'nextjs-export', '--domain', 'example.com'], io)).toBe(0);
  const synthIo = memoryIo(dir);
  expect(await runCli(['synth'], synthIo)).toBe(0);
  synthOut = synthIo.stdout + synthIo.stderr;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const stack = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack')!;
  json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', stack.properties!.templateFile!), 'utf8'));
  template = Template.fromJSON(json);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const distribution = () => Object.values(json.Resources).find((r) => r.Type === 'AWS::CloudFront::Distribution')!.Properties.DistributionConfig;
const ref = (v: unknown) => (v as { Ref?: string } | undefined)?.Ref;

describe('edgeship synth, nextjs-export preset', () => {
  it('writes a cloud assembly cdk deploy can read, and says what to run next', () => {
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'manifest.json'))).toBe(true);
    expect(synthOut).toContain('npx cdk deploy --app cdk.out');
    expect(synthOut).toContain('edgeship-example-com');
    // No certificate configured: the host names are left off, with a warning (CloudFront would refuse them).
    expect(synthOut).toMatch(/warning: synth\.certificateArn: .*example\.com, www\.example\.com are not attached/);
    // ...and the same warning travels in the assembly, where the CDK CLI shows it.
    const metadata = fs.readFileSync(path.join(dir, 'cdk.out', 'edgeship-example-com.metadata.json'), 'utf8');
    expect(metadata).toContain('aws:cdk:warning');
    expect(metadata).toContain('synth.certificateArn: not set');
  });

  it('keeps the behaviors in the table order, the "*" behavior as the default (spec §1.1, §1.2)', () => {
    const config = distribution();
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['_next/static/*', 'images/*']);
    expect(config.DefaultCacheBehavior.PathPattern).toBeUndefined();
  });

  it('_next/static/* has the one-year immutable policy; images/* keeps hashed variants a year and originals a day (spec §2.1, §2.2)', () => {
    const [nextStatic, images] = distribution().CacheBehaviors;
    const policyOf = (behavior: { CachePolicyId: unknown }) => json.Resources[ref(behavior.CachePolicyId)!]!;
    expect(policyOf(nextStatic).Type).toBe('AWS::CloudFront::CachePolicy');
    const keyAndCompression = {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
    };
    expect(policyOf(nextStatic).Properties.CachePolicyConfig).toMatchObject({ MinTTL: ONE_YEAR, DefaultTTL: ONE_YEAR, MaxTTL: ONE_YEAR, ParametersInCacheKeyAndForwardedToOrigin: keyAndCompression });
    // Objects carry their own max-age (a year on hashed names, s-maxage=1d on originals): MaxTTL lets a year through.
    expect(policyOf(images).Properties.CachePolicyConfig).toMatchObject({ MinTTL: 0, DefaultTTL: 86_400, MaxTTL: ONE_YEAR, ParametersInCacheKeyAndForwardedToOrigin: keyAndCompression });
    // Three intents (immutable, images, HTML 5 min): three policies, not one per behavior.
    template.resourceCountIs('AWS::CloudFront::CachePolicy', 3);
  });

  it('images/* has no function and no headers policy; the default behavior has both', () => {
    const config = distribution();
    const images = config.CacheBehaviors[1];
    expect(images.FunctionAssociations).toBeUndefined();
    expect(images.ResponseHeadersPolicyId).toBeUndefined();
    const def = config.DefaultCacheBehavior;
    expect(def.FunctionAssociations).toHaveLength(1);
    expect(def.FunctionAssociations[0].EventType).toBe('viewer-request');
    const [fnId, attr] = def.FunctionAssociations[0].FunctionARN['Fn::GetAtt'];
    expect([json.Resources[fnId]!.Type, attr]).toEqual(['AWS::CloudFront::Function', 'FunctionARN']);
    expect(ref(def.ResponseHeadersPolicyId)).toBeDefined();
    expect(json.Resources[ref(def.ResponseHeadersPolicyId)!]!.Type).toBe('AWS::CloudFront::ResponseHeadersPolicy');
    const html = json.Resources[ref(def.CachePolicyId)!]!.Properties.CachePolicyConfig;
    expect([html.MinTTL, html.DefaultTTL, html.MaxTTL]).toEqual([0, 300, 300]);
  });

  it('redirects HTTP to HTTPS on every behavior, compresses, serves HTTP/2 and HTTP/3, index.html at /', () => {
    const config = distribution();
    for (const b of [...config.CacheBehaviors, config.DefaultCacheBehavior]) {
      expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(b.Compress).toBe(true);
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
    }
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Aliases).toBeUndefined();
  });

  it('the function is cloudfront-js-2.0 with the code of edge/url-handler.js', () => {
    const fn = Object.values(json.Resources).filter((r) => r.Type === 'AWS::CloudFront::Function');
    expect(fn).toHaveLength(1);
    expect(fn[0]!.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn[0]!.Properties.AutoPublish).toBe(true);
    expect(fn[0]!.Properties.FunctionCode).toBe(fs.readFileSync(path.join(dir, 'edge/url-handler.js'), 'utf8'));
  });

  it('maps the security headers policy field by field (spec §6.2)', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 86_400, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("^default-src 'self'"), Override: true },
        },
      },
    });
  });

  it('answers missing pages with /404.html and 404 for both 403 and 404 (spec §5.1)', () => {
    expect(distribution().CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponsePagePath: '/404.html', ResponseCode: 404, ErrorCachingMinTTL: 10 },
      { ErrorCode: 404, ResponsePagePath: '/404.html', ResponseCode: 404, ErrorCachingMinTTL: 10 },
    ]);
  });

  it('keeps the bucket private: public access blocked, SSL enforced, S3-managed encryption, no website', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      WebsiteConfiguration: Match.absent(),
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const origin = distribution().Origins[0];
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const oac = (origin.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    expect(json.Resources[oac[0]]!.Type).toBe('AWS::CloudFront::OriginAccessControl');
  });

  it('exports BucketName, DistributionId, DistributionDomainName and the KeyValueStoreArn atomic deploys write their pointer into', () => {
    expect(Object.keys(json.Outputs).sort()).toEqual(['BucketName', 'DistributionDomainName', 'DistributionId', 'KeyValueStoreArn']);
  });

  it("passes aws-cdk-lib's CloudFormation validation, which synth makes fatal", () => {
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'validation-report.json'), 'utf8')) as { pluginReports: { conclusion: string; violations: unknown[] }[] };
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success' || r.violations.length > 0)).toEqual([]);
  });

  it('deploys in an account that was never bootstrapped: the manifest names no bootstrap role, bucket or version', () => {
    // What `cdk deploy --app cdk.out` reads: with assumeRoleArn / cloudFormationExecutionRoleArn
    // present, the CLI hands CloudFormation a role that does not exist in such an account.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: Record<string, unknown>; dependencies?: string[] }> };
    const stack = manifest.artifacts['edgeship-example-com']!;
    expect(stack.type).toBe('aws:cloudformation:stack');
    expect(Object.keys(stack.properties!).sort()).toEqual(['templateFile', 'terminationProtection', 'validateOnSynth']);
    expect(stack.dependencies ?? []).toEqual([]);
    expect(Object.values(manifest.artifacts).map((a) => a.type)).not.toContain('cdk:asset-manifest');
    expect(JSON.stringify(manifest)).not.toMatch(/cdk-hnb659fds|bootstrap/i);
    // ...and the template has no BootstrapVersion parameter or rule.
    expect(JSON.stringify(json)).not.toContain('BootstrapVersion');
  });
});

describe('edgeship synth options', () => {
  it('--print writes the template as YAML to stdout; --stack-name names the stack and its files', async () => {
    const io = memoryIo(dir);
    expect(await runCli(['synth', '--print', '--stack-name', 'marketing-prod', '--out', 'out2'], io)).toBe(0);
    const printed = parseYaml(io.stdout) as { Resources: Record<string, { Type: string }>; Outputs: Record<string, unknown> };
    expect(Object.values(printed.Resources).filter((r) => r.Type === 'AWS::CloudFront::Distribution')).toHaveLength(1);
    expect(Object.keys(printed.Outputs)).toContain('DistributionId');
    expect(fs.existsSync(path.join(dir, 'out2', 'marketing-prod.template.json'))).toBe(true);
  });

  it('refuses a stack name CloudFormation would refuse, before synthesizing', async () => {
    const io = memoryIo(dir);
    expect(await runCli(['synth', '--stack-name', 'bad_name', '--out', 'out3'], io)).toBe(2);
    expect(io.stderr).toMatch(/"bad_name" is not a CloudFormation stack name[\s\S]*fix:/);
    expect(fs.existsSync(path.join(dir, 'out3'))).toBe(false);
  });

  it('fails on a config CloudFront would refuse, naming the config path (exit 2)', async () => {
    const bad = path.join(dir, 'bad.config.json');
    fs.writeFileSync(bad, JSON.stringify({ domain: 'example.com', synth: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' } }));
    const io = memoryIo(dir);
    expect(await runCli(['--config', bad, 'synth', '--out', 'out4'], io)).toBe(2);
    expect(io.stderr).toMatch(/synth\.certificateArn: is in eu-west-1; CloudFront only uses ACM certificates from us-east-1/);
    expect(fs.existsSync(path.join(dir, 'out4'))).toBe(false);
  });
});
