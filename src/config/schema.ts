import { z } from 'zod';
import { patternProblem } from '../behavior/pattern.js';
import { deploySchema } from './deploy-schema.js';
import { showValue } from './errors.js';
import { durationSchema } from './duration-schema.js';
import { edgeSchema } from './edge-schema.js';
import { imagesSchema } from './images-schema.js';
import { synthSchema } from './synth-schema.js';

/** Cache intent of a behavior. */
const cacheSchema = z.union([
  z.literal('immutable'),
  z.literal('no-store'),
  z.strictObject({
    /** How long the CDN keeps the object (becomes `s-maxage` and the cache policy TTLs). */
    edge: durationSchema,
    /** How long browsers keep it (becomes `max-age`); 0 makes browsers revalidate every time. */
    browser: durationSchema,
    staleWhileRevalidate: durationSchema.optional(),
    staleIfError: durationSchema.optional(),
    /**
     * `'immutable'`: an object whose file name carries a content hash (`main.3f9a2c1b.css`,
     * `hero.3f9a2c1b.640.avif`) is stored `public, max-age=31536000, immutable` and kept a year
     * at the edge; the others get `edge`/`browser`. For hashed files a path pattern cannot pick
     * out (Hugo's fingerprinted resources sit beside the pages). HTML is never made immutable.
     */
    hashedNames: z.literal('immutable').optional(),
  }),
]);

const keyListSchema = z.union([z.literal('none'), z.literal('all'), z.array(z.string().min(1)).max(10)]);

const behaviorSchema = z.strictObject({
  /** CloudFront path pattern: `*` is any run of characters (crossing `/`), `?` exactly one. */
  path: z.string().superRefine((pattern, ctx) => {
    // Checked in the schema, so that a bad pattern is reported together with every other issue.
    const problem = patternProblem(pattern);
    if (problem) ctx.addIssue({ code: 'custom', input: pattern, message: `${showValue(pattern)} ${problem}` });
  }),
  cache: cacheSchema,
  functions: z
    .strictObject({
      /** CloudFront Functions file (cloudfront-js-2.0) run on each viewer request. */
      viewerRequest: z.string().min(1).optional(),
      /** CloudFront Functions file run on each viewer response. */
      viewerResponse: z.string().min(1).optional(),
    })
    .optional(),
  /** Name of a policy in `headersPolicies`. */
  headers: z.string().min(1).optional(),
  /** Compress text responses with gzip and brotli at the edge. Default true. */
  compress: z.boolean().default(true),
  /** What else besides the path goes into the cache key. Default: nothing. */
  cacheKey: z
    .strictObject({
      queryStrings: keyListSchema.default('none'),
      headers: z.array(z.string().min(1)).max(10).default([]),
      cookies: keyListSchema.default('none'),
    })
    .optional(),
});

const override = { override: z.boolean().default(false) };

const headersPolicySchema = z.strictObject({
  securityHeaders: z
    .strictObject({
      strictTransportSecurity: z
        .strictObject({ maxAge: durationSchema, includeSubdomains: z.boolean().default(false), preload: z.boolean().default(false), ...override })
        .optional(),
      contentTypeOptions: z.strictObject({ ...override }).optional(),
      frameOptions: z.strictObject({ option: z.enum(['DENY', 'SAMEORIGIN']), ...override }).optional(),
      referrerPolicy: z
        .strictObject({
          policy: z.enum([
            'no-referrer',
            'no-referrer-when-downgrade',
            'origin',
            'origin-when-cross-origin',
            'same-origin',
            'strict-origin',
            'strict-origin-when-cross-origin',
            'unsafe-url',
          ]),
          ...override,
        })
        .optional(),
      xssProtection: z
        .strictObject({ protection: z.boolean(), modeBlock: z.boolean().default(false), reportUri: z.string().optional(), ...override })
        .optional(),
      contentSecurityPolicy: z.strictObject({ policy: z.string().min(1).max(1_783), ...override }).optional(),
    })
    .optional(),
  customHeaders: z
    .array(z.strictObject({ name: z.string().min(1).max(256), value: z.string().max(1_783), ...override }))
    .max(10)
    .default([]),
  removeHeaders: z.array(z.string().min(1)).default([]),
});

const errorSchema = z.strictObject({
  /** Status from the origin (or the edge) to customize. */
  status: z.number().int(),
  /** Path of the page to answer with, e.g. `/404.html`. */
  page: z.string().optional(),
  /** Status sent with the page; defaults to `status`. */
  responseStatus: z.number().int().optional(),
  /** How long the edge caches this error (ErrorCachingMinTTL). Default 10 s. */
  ttl: durationSchema.optional(),
});

const storeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fs'), dir: z.string().min(1) }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().min(3).max(63),
    region: z.string().optional(),
    endpoint: z.string().url().optional(),
    forcePathStyle: z.boolean().optional(),
    prefix: z.string().optional(),
  }),
]);

const targetSchema = z.strictObject({
  store: storeSchema,
  /** CloudFront distribution to invalidate after a deploy. */
  distributionId: z.string().optional(),
  /** CloudFormation stack whose outputs give the bucket and distribution (see `edgeship synth`). */
  stack: z.string().optional(),
  /** The CloudFront KeyValueStore atomic deploys write their pointers into (stack output KeyValueStoreArn). */
  keyValueStoreArn: z.string().optional(),
});

export const configSchema = z.strictObject({
  /** The build output folder, relative to the config file. */
  site: z.string().min(1).default('out'),
  /** The site's canonical host name, e.g. `example.com`. */
  domain: z.string().optional(),
  /** Other host names served by the same distribution, e.g. `www.example.com`. */
  aliases: z.array(z.string()).default([]),
  /** Redirect every alias to `domain` (done by the viewer-request function). */
  redirectToDomain: z.boolean().default(false),
  /**
   * The URL path the site is served under, e.g. `/docs` (Next.js `basePath`, Astro `base`):
   * the build's files are stored under it (`docs/about.html`). Default `''`, the root.
   */
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'is not a base path: a path such as "/docs" (no trailing slash), or "" for the root')
    .default(''),
  /** The object served for `/`. */
  defaultRootObject: z.string().default('index.html'),
  /** Ordered cache behaviors; the first whose pattern matches wins; `*` (the default) comes last. */
  behaviors: z.array(behaviorSchema).default([]),
  headersPolicies: z.record(z.string(), headersPolicySchema).default({}),
  errors: z.array(errorSchema).default([]),
  images: imagesSchema.prefault({}),
  deploy: deploySchema.prefault({}),
  edge: edgeSchema.prefault({}),
  targets: z.record(z.string(), targetSchema).default({}),
  synth: synthSchema.optional(),
  /**
   * A site's `_redirects` and `_headers` in Netlify's or Cloudflare Pages' syntax
   * (docs/redirects.md). Default: the files of those names in the site folder, when there.
   */
  platformFiles: z
    .strictObject({
      /** Whose reading of the files: defaults, forcing, slash and query matching differ. */
      dialect: z.enum(['netlify', 'cloudflare']).default('netlify'),
      /** The `_redirects` file, relative to the config. Default `<site>/_redirects`. */
      redirects: z.string().min(1).optional(),
      /** The `_headers` file, relative to the config. Default `<site>/_headers`. */
      headers: z.string().min(1).optional(),
    })
    .prefault({}),
});

/** What a user writes in `edgeship.config.ts`. */
export type EdgeshipConfig = z.input<typeof configSchema>;
/** The config with defaults applied and durations in seconds. */
export type ParsedConfig = z.output<typeof configSchema>;
export type BehaviorConfig = ParsedConfig['behaviors'][number];
export type CacheConfig = BehaviorConfig['cache'];
export type HeadersPolicyConfig = ParsedConfig['headersPolicies'][string];
export type ErrorConfig = ParsedConfig['errors'][number];
export type TargetConfig = ParsedConfig['targets'][string];
export type StoreConfig = TargetConfig['store'];
