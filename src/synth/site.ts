import { Annotations, Aws, CfnOutput, CfnResource, Duration, Fn, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { compileTable, type BehaviorTable, type CompiledBehavior } from '../behavior/table.js';
import { ConfigError, type ConfigIssue } from '../config/errors.js';
import { resolveConfig } from '../config/load.js';
import type { SiteModel } from '../config/model.js';
import type { EdgeshipConfig } from '../config/schema.js';
import { cachePolicyProps, constructId, errorResponses, headersPolicyProps, originRequestPolicyProps, PRICE_CLASS } from './props.js';
import { OUTPUT_KEYS } from './output-keys.js';
import { isCachingDisabled, validateForSynth } from './validate.js';
import { kvsFunctions } from './kvs.js';
import { aliasRecords } from './dns.js';
import { grantDeploy } from './grants.js';


export interface EdgeshipSiteProps {
  /** The site: an edgeship config object (what `edgeship.config.ts` exports) or a loaded `SiteModel`. */
  readonly config: EdgeshipConfig | SiteModel;
  /**
   * Folder that relative paths in a config object (function files) are read from.
   * @default process.cwd(); ignored for a `SiteModel`, whose paths are already absolute
   */
  readonly rootDir?: string;
  /**
   * Logical ids of the stack outputs are `<outputPrefix>BucketName`, `<outputPrefix>DistributionId`,
   * `<outputPrefix>DistributionDomainName`. Set one per site when a stack holds several.
   * @default '' (the keys `edgeship deploy --stack` looks for)
   */
  readonly outputPrefix?: string;
  /**
   * What happens to the bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN (a site's content is never deleted with the stack)
   */
  readonly bucketRemovalPolicy?: RemovalPolicy;
  /**
   * The certificate for `domain` and `aliases` (in us-east-1), e.g. one this app creates.
   * @default the config's `synth.certificateArn`; without either, the host names are not attached
   */
  readonly certificate?: acm.ICertificate;
  /**
   * A Route 53 hosted zone to add A and AAAA alias records to, for every attached host name.
   * Needs a certificate (host names are attached only with one).
   * @default no records
   */
  readonly hostedZone?: route53.IHostedZone;
}

/**
 * A private S3 bucket behind a CloudFront distribution, built from the same behavior table the
 * local edge and `edgeship deploy` use: behaviors in the table's order, one cache policy per
 * distinct cache intent, the CloudFront Functions files the local edge runs, response headers
 * policies only where the config names them, custom error responses.
 *
 * Throws `ConfigError` (every problem, each with its config path) for a config CloudFront would refuse.
 */
export class EdgeshipSite extends Construct {
  readonly site: SiteModel;
  readonly table: BehaviorTable;
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The store behind `cf.kvs()`, associated with the functions that call it; only when one does. */
  readonly keyValueStore?: cloudfront.KeyValueStore;
  /** Things the user should know (e.g. host names left off for want of a certificate). */
  readonly warnings: ConfigIssue[];

  constructor(scope: Construct, id: string, props: EdgeshipSiteProps) {
    super(scope, id);
    this.site = isSiteModel(props.config) ? props.config : resolveConfig(props.config, props.rootDir ?? process.cwd());
    const site = this.site;
    const checked = validateForSynth(site, { certificate: props.certificate !== undefined });
    if (props.hostedZone && checked.domainNames.length === 0) {
      checked.issues.push({ path: 'synth.certificateArn', message: 'a hosted zone gets alias records only for host names attached to the distribution: give a certificate and set domain' });
    }
    if (checked.issues.length > 0) throw new ConfigError(checked.issues, site.configFile);
    this.warnings = checked.warnings;
    // Shown by `cdk synth` / `cdk deploy` in the user's own app, like any construct's warning.
    for (const w of this.warnings) Annotations.of(this).addWarningV2(`edgeship:${w.path}`, `${w.path}: ${w.message}`);
    this.table = compileTable(site);

    // Private bucket reached only through Origin Access Control; no website hosting.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.bucketRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // READ only (s3:GetObject): a missing key answers 403, which `errors` maps (spec §4.10, §9.7).
    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', { description: 'edgeship: CloudFront reads the site bucket' });
    regionalName(originAccessControl, 'OriginAccessControlConfig.Name', 64);
    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl });

    // Construct ids from user-chosen names: "a-b" and "a_b" would collide, so later ones get a number.
    const usedIds = new Set<string>();
    const uniqueId = (prefix: string, name: string): string => {
      const base = constructId(prefix, name);
      let id = base;
      for (let n = 2; usedIds.has(id); n++) id = `${base}${n}`;
      usedIds.add(id);
      return id;
    };

    const cachePolicies = new Map<string, cloudfront.ICachePolicy>();
    for (const p of this.table.policies) {
      // All TTLs 0: CloudFront's managed CachingDisabled (it refuses compression and key settings then).
      cachePolicies.set(p.name, isCachingDisabled(p) ? cloudfront.CachePolicy.CACHING_DISABLED : new cloudfront.CachePolicy(this, uniqueId('CachePolicy', p.name), cachePolicyProps(p)));
    }

    // Only where the table has one (a `_redirects` with Country conditions): otherwise the stack has none.
    const originRequestPolicies = new Map<string, cloudfront.OriginRequestPolicy>();
    for (const p of this.table.originRequestPolicies) {
      const policy = new cloudfront.OriginRequestPolicy(this, uniqueId('OriginRequestPolicy', p.name), originRequestPolicyProps(p));
      regionalName(policy, 'OriginRequestPolicyConfig.Name', 128);
      originRequestPolicies.set(p.name, policy);
    }

    // One store for the site (a function can have one), associated only with the functions that
    // call cf.kvs(). Created empty: an ImportSource would be a file asset, which needs cdk bootstrap.
    const kvsFiles = kvsFunctions(site);
    if (kvsFiles.size > 0) {
      this.keyValueStore = new cloudfront.KeyValueStore(this, 'KeyValueStore', { comment: `edgeship edge.kvs${site.domain ? ` ${site.domain}` : ''}` });
      regionalName(this.keyValueStore, 'Name', 64);
    }
    const functions = new Map<string, cloudfront.Function>();
    for (const fn of this.table.functions) {
      functions.set(
        fn.file,
        new cloudfront.Function(this, uniqueId('Function', fn.name), {
          // Inlined from the very file the local edge runs.
          code: cloudfront.FunctionCode.fromFile({ filePath: fn.file }),
          runtime: cloudfront.FunctionRuntime.JS_2_0,
          comment: `edgeship ${fn.name}`,
          keyValueStore: kvsFiles.has(fn.file) ? this.keyValueStore : undefined,
        }),
      );
    }

    const headersPolicies = new Map<string, cloudfront.ResponseHeadersPolicy>();
    for (const b of this.table.behaviors) {
      const hp = b.headersPolicy;
      if (hp && !headersPolicies.has(hp.name)) {
        const policy = new cloudfront.ResponseHeadersPolicy(this, uniqueId('HeadersPolicy', hp.name), headersPolicyProps(hp.name, hp.config));
        regionalName(policy, 'ResponseHeadersPolicyConfig.Name', 128);
        headersPolicies.set(hp.name, policy);
      }
    }

    const behaviorOptions = (b: CompiledBehavior): cloudfront.AddBehaviorOptions => {
      const associations: cloudfront.FunctionAssociation[] = [];
      if (b.functions.viewerRequest) associations.push({ function: functions.get(b.functions.viewerRequest.file)!, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST });
      if (b.functions.viewerResponse) associations.push({ function: functions.get(b.functions.viewerResponse.file)!, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE });
      return {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: cachePolicies.get(b.policy.name)!,
        originRequestPolicy: b.originRequest ? originRequestPolicies.get(b.originRequest.name) : undefined,
        compress: b.compress,
        functionAssociations: associations.length > 0 ? associations : undefined,
        responseHeadersPolicy: b.headersPolicy ? headersPolicies.get(b.headersPolicy.name) : undefined,
      };
    };

    const defaultBehavior = this.table.behaviors[this.table.behaviors.length - 1]!;
    const synth = site.synth;
    const certificate = props.certificate ?? (synth?.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', synth.certificateArn) : undefined);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `edgeship${site.domain ? ` ${site.domain}` : ''}`,
      defaultBehavior: { origin, ...behaviorOptions(defaultBehavior) },
      defaultRootObject: site.defaultRootObject,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      certificate,
      domainNames: checked.domainNames.length > 0 ? checked.domainNames : undefined,
      // Only meaningful with a custom certificate: the *.cloudfront.net one is fixed at TLSv1 (spec §9.2).
      minimumProtocolVersion: certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      sslSupportMethod: certificate ? cloudfront.SSLMethod.SNI : undefined,
      priceClass: synth?.priceClass ? PRICE_CLASS[synth.priceClass] : undefined,
      errorResponses: site.errors.length > 0 ? errorResponses(site) : undefined,
      ...this.logging(),
    });
    // Added one by one, in the table's order: CloudFront picks the first match (spec §1.2).
    for (const b of this.table.behaviors.slice(0, -1)) this.distribution.addBehavior(b.pattern, origin, behaviorOptions(b));

    if (props.hostedZone) aliasRecords(this, props.hostedZone, this.distribution, checked.domainNames);

    const prefix = props.outputPrefix ?? '';
    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description }).overrideLogicalId(`${prefix}${key}`);
    output(OUTPUT_KEYS.bucketName, this.bucket.bucketName, 'S3 bucket edgeship deploy uploads to');
    output(OUTPUT_KEYS.distributionId, this.distribution.distributionId, 'CloudFront distribution edgeship deploy invalidates');
    output(OUTPUT_KEYS.distributionDomainName, this.distribution.distributionDomainName, 'CloudFront domain name of the site');
    if (this.keyValueStore) output(OUTPUT_KEYS.keyValueStoreArn, this.keyValueStore.keyValueStoreArn, 'CloudFront KeyValueStore behind cf.kvs(), filled from edge.kvs');
  }

  /**
   * Gives a deploy role exactly what `edgeship deploy` needs: list the bucket; get, put and
   * delete its objects; create and read invalidations of the distribution. Nothing else.
   */
  grantDeploy(grantee: iam.IGrantable): iam.Grant {
    return grantDeploy(grantee, this.bucket, this.distribution);
  }

  private logging(): Pick<cloudfront.DistributionProps, 'enableLogging' | 'logBucket' | 'logFilePrefix' | 'logIncludesCookies'> {
    const logging = this.site.synth?.logging;
    if (!logging) return {};
    const logBucket = logging.bucket
      ? s3.Bucket.fromBucketAttributes(this, 'LogBucket', { bucketName: logging.bucket, bucketRegionalDomainName: `${logging.bucket}.s3.amazonaws.com` })
      : new s3.Bucket(this, 'LogBucket', {
          // Standard logs are delivered with an ACL, so this bucket keeps ACLs on (spec §9.5);
          // BucketOwnerPreferred makes the bucket owner own what the log delivery writes.
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          encryption: s3.BucketEncryption.S3_MANAGED,
          objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
          lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(logging.expireAfterDays) }],
          removalPolicy: RemovalPolicy.RETAIN,
        });
    return { enableLogging: true, logBucket, logFilePrefix: logging.prefix, logIncludesCookies: logging.includeCookies };
  }
}

/**
 * Names of CloudFront resources are unique per account, not per region: one stack name deployed
 * in two regions would collide. CDK already ends cache policy and function names with the region;
 * this does the same for the resources whose generated names lack it (headers and origin request policies, OAC, KVS).
 */
function regionalName(construct: Construct, property: string, maxLength: number): void {
  // The longest region name is 14 characters; the dash makes 15.
  const base = Names.uniqueResourceName(construct, { maxLength: maxLength - 15, separator: '-' });
  (construct.node.defaultChild as CfnResource).addPropertyOverride(property, Fn.join('-', [base, Aws.REGION]));
}

/** A `SiteModel` carries resolved folders; a config object (a strict schema) never does. */
function isSiteModel(config: EdgeshipConfig | SiteModel): config is SiteModel {
  return typeof (config as SiteModel).rootDir === 'string' && typeof (config as SiteModel).siteDir === 'string';
}
