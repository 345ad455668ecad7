/**
 * EdgeshipSite in a user's CDK app: grantDeploy for the deploy role, a certificate object,
 * a hosted zone with alias records, the log expiry. Asserted with aws-cdk-lib/assertions.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { DEPLOY_ACTIONS } from './grants.js';
import { EdgeshipSite } from './index.js';

let template: Template;
let site: EdgeshipSite;

beforeAll(() => {
  const stack = new Stack(new App(), 'Web', { env: { account: '123456789012', region: 'eu-west-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.org' });
  const certificate = new acm.Certificate(stack, 'Cert', { domainName: 'example.org', subjectAlternativeNames: ['www.example.org'], validation: acm.CertificateValidation.fromDns(zone) });
  site = new EdgeshipSite(stack, 'Site', {
    config: { domain: 'example.org', aliases: ['www.example.org'], synth: { logging: { expireAfterDays: 30 } } },
    certificate,
    hostedZone: zone,
  });
  const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.WebIdentityPrincipal('token.actions.githubusercontent.com') });
  site.grantDeploy(deployer);
  template = Template.fromStack(stack);
});

describe('EdgeshipSite.grantDeploy', () => {
  it('gives exactly the actions deploy uses, scoped to the bucket, its objects and the distribution', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const byAction = statements.map((st) => [[st.Action].flat().sort(), JSON.stringify(st.Resource)] as const);
    expect(byAction.map(([a]) => a)).toEqual(
      expect.arrayContaining([[...DEPLOY_ACTIONS.objects].sort(), [...DEPLOY_ACTIONS.bucket], [...DEPLOY_ACTIONS.distribution].sort()]),
    );
    expect(byAction).toHaveLength(3);
    const resourceOf = (action: string) => byAction.find(([a]) => a.includes(action))![1];
    expect(resourceOf('s3:PutObject')).toMatch(/SiteBucket.*"Arn".*\/\*/);
    expect(resourceOf('s3:ListBucket')).toMatch(/SiteBucket.*"Arn"/);
    expect(resourceOf('s3:ListBucket')).not.toContain('/*');
    expect(resourceOf('cloudfront:CreateInvalidation')).toMatch(/:distribution\/.*SiteDistribution/);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|s3:\*|cloudfront:\*/);
  });
});

describe('EdgeshipSite with a certificate object and a hosted zone', () => {
  it('attaches the host names with the certificate the app created', () => {
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['example.org', 'www.example.org']);
    expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: { Ref: expect.stringMatching(/^Cert/) }, SslSupportMethod: 'sni-only' });
    expect(site.warnings).toEqual([]);
  });

  it('adds A and AAAA alias records for each host name, pointing at the distribution', () => {
    for (const type of ['A', 'AAAA']) {
      for (const name of ['example.org.', 'www.example.org.']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: name,
          Type: type,
          HostedZoneId: 'Z0123456789ABCDEFGHIJ',
          AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('SiteDistribution'), 'DomainName'] } },
        });
      }
    }
    template.resourceCountIs('AWS::Route53::RecordSet', 4);
  });

  it('refuses a hosted zone when no host name is attached', () => {
    const stack = new Stack(new App(), 'NoHosts');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.org' });
    expect(() => new EdgeshipSite(stack, 'Site', { config: { domain: 'example.org' }, hostedZone: zone })).toThrow(ConfigError);
  });
});

describe('EdgeshipSite log bucket', () => {
  it('expires log files after synth.logging.expireAfterDays', () => {
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Id: 'expire-logs', ExpirationInDays: 30, Status: 'Enabled' }] } });
  });
});
