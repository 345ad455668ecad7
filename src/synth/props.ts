/**
 * Pure mapping from the compiled behavior table to aws-cdk-lib props (checked against the
 * aws-cdk-lib 2.276 typings). Constructs are built from these in site.ts.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { CachePolicy, CacheKeyConfig, OriginRequestPolicy } from '../behavior/table.js';
import type { SiteModel } from '../config/model.js';
import type { HeadersPolicyConfig } from '../config/schema.js';

/** Comments are at most 128 characters (spec §2.1, §6). */
function comment(text: string): string {
  return text.length > 128 ? `${text.slice(0, 125)}...` : text;
}

function keyBehavior<T>(value: 'none' | 'all' | string[], make: { none(): T; all(): T; allowList(...names: string[]): T }): T {
  if (value === 'none') return make.none();
  if (value === 'all') return make.all();
  return value.length === 0 ? make.none() : make.allowList(...value);
}

/** A custom cache policy for one cache intent (spec §2.1): TTLs, gzip/brotli, cache key. */
export function cachePolicyProps(policy: CachePolicy): cloudfront.CachePolicyProps {
  const key: CacheKeyConfig = policy.cacheKey;
  return {
    comment: comment(`edgeship ${policy.name}: min ${policy.minTtl}s, default ${policy.defaultTtl}s, max ${policy.maxTtl}s`),
    minTtl: Duration.seconds(policy.minTtl),
    defaultTtl: Duration.seconds(policy.defaultTtl),
    maxTtl: Duration.seconds(policy.maxTtl),
    enableAcceptEncodingGzip: policy.gzip,
    enableAcceptEncodingBrotli: policy.brotli,
    queryStringBehavior: keyBehavior(key.queryStrings, cloudfront.CacheQueryStringBehavior),
    cookieBehavior: keyBehavior(key.cookies, cloudfront.CacheCookieBehavior),
    headerBehavior: key.headers.length === 0 ? cloudfront.CacheHeaderBehavior.none() : cloudfront.CacheHeaderBehavior.allowList(...key.headers),
  };
}

/**
 * An origin request policy (spec §2.8) that makes CloudFront add the listed headers for the
 * viewer-request function and the origin, outside the cache key; nothing else of the viewer's
 * request is forwarded (the S3 origin needs none of it).
 */
export function originRequestPolicyProps(policy: OriginRequestPolicy): cloudfront.OriginRequestPolicyProps {
  return {
    comment: comment(`edgeship ${policy.name}: added and forwarded, not in the cache key`),
    headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...policy.headers),
    queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
  };
}

/** The config's `headersPolicies.<name>` as CDK `ResponseHeadersPolicy` props (spec §6.2-6.3). */
export function headersPolicyProps(name: string, config: HeadersPolicyConfig): cloudfront.ResponseHeadersPolicyProps {
  const s = config.securityHeaders;
  const security: cloudfront.ResponseSecurityHeadersBehavior | undefined = s && {
    strictTransportSecurity: s.strictTransportSecurity && {
      accessControlMaxAge: Duration.seconds(s.strictTransportSecurity.maxAge),
      includeSubdomains: s.strictTransportSecurity.includeSubdomains,
      preload: s.strictTransportSecurity.preload,
      override: s.strictTransportSecurity.override,
    },
    contentTypeOptions: s.contentTypeOptions && { override: s.contentTypeOptions.override },
    frameOptions: s.frameOptions && { frameOption: s.frameOptions.option as cloudfront.HeadersFrameOption, override: s.frameOptions.override },
    referrerPolicy: s.referrerPolicy && { referrerPolicy: s.referrerPolicy.policy as cloudfront.HeadersReferrerPolicy, override: s.referrerPolicy.override },
    xssProtection: s.xssProtection && {
      protection: s.xssProtection.protection,
      modeBlock: s.xssProtection.modeBlock || undefined,
      reportUri: s.xssProtection.reportUri,
      override: s.xssProtection.override,
    },
    contentSecurityPolicy: s.contentSecurityPolicy && { contentSecurityPolicy: s.contentSecurityPolicy.policy, override: s.contentSecurityPolicy.override },
  };
  return {
    comment: comment(`edgeship headers policy "${name}"`),
    securityHeadersBehavior: security && Object.values(security).some((v) => v !== undefined) ? security : undefined,
    customHeadersBehavior:
      config.customHeaders.length > 0 ? { customHeaders: config.customHeaders.map((h) => ({ header: h.name, value: h.value, override: h.override })) } : undefined,
    removeHeaders: config.removeHeaders.length > 0 ? config.removeHeaders : undefined,
  };
}

/** Custom error responses (spec §5.1): one per status, page and response code together. */
export function errorResponses(site: Pick<SiteModel, 'errors'>): cloudfront.ErrorResponse[] {
  return site.errors.map((e) => ({
    httpStatus: e.status,
    responsePagePath: e.page,
    responseHttpStatus: e.page !== undefined ? e.responseStatus : undefined,
    ttl: Duration.seconds(e.ttl),
  }));
}

export const PRICE_CLASS: Record<NonNullable<NonNullable<SiteModel['synth']>['priceClass']>, cloudfront.PriceClass> = {
  PriceClass_100: cloudfront.PriceClass.PRICE_CLASS_100,
  PriceClass_200: cloudfront.PriceClass.PRICE_CLASS_200,
  PriceClass_All: cloudfront.PriceClass.PRICE_CLASS_ALL,
};

/** A construct id from a free-form name (policy names are user-chosen record keys). */
export function constructId(prefix: string, name: string): string {
  return `${prefix}${name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toUpperCase())}`;
}
