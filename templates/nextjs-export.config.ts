// edgeship config for a Next.js `output: 'export'` build (preset: nextjs-export).
// One table drives everything: the headers stored on each object at deploy, the local edge
// (`edgeship serve`), the CloudFront stack (`edgeship synth`) and `edgeship audit`.
// Ask what any URL gets with `edgeship explain /some/path`.
import { defineConfig } from 'edgeship';

export default defineConfig({
  // The folder `next build` writes.
  site: 'out',
  // Canonical host; the aliases are redirected to it by edge/url-handler.js.
  domain: '__DOMAIN__',
  aliases: ['www.__DOMAIN__'],
  redirectToDomain: true,

  // Ordered cache behaviors: the first pattern that matches a URL path wins.
  // `*` crosses `/` and `?` is exactly one character, as in CloudFront.
  behaviors: [
    // Content-hashed JS and CSS: cached for a year, never revalidated.
    { path: '_next/static/*', cache: 'immutable' },
    // Images: one year as well; `edgeship images` gives variants content-hashed names.
    { path: 'images/*', cache: 'immutable' },
    // Everything else (HTML): 5 minutes at the edge, browsers revalidate every time.
    {
      path: '*',
      cache: { edge: '5m', browser: 0 },
      functions: { viewerRequest: 'edge/url-handler.js' },
      headers: 'security',
    },
  ],

  // Response-headers policies, by name (CloudFront's fields and override semantics).
  headersPolicies: {
    security: {
      securityHeaders: {
        strictTransportSecurity: { maxAge: '730d', includeSubdomains: true, override: true },
        contentSecurityPolicy: {
          policy:
            "__CSP__",
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { option: 'DENY', override: true },
        referrerPolicy: { policy: 'strict-origin-when-cross-origin', override: true },
      },
    },
  },

  // Custom error responses: a missing page answers 404 with 404.html
  // (S3 behind Origin Access Control answers 403 for a missing key).
  errors: [
    { status: 403, page: '/404.html', responseStatus: 404, ttl: '10s' },
    { status: 404, page: '/404.html', responseStatus: 404, ttl: '10s' },
  ],

  // Where `edgeship deploy --target NAME` puts the site. `local` (an embedded store under
  // .edgeship/) always exists. Credentials come from the standard AWS environment only.
  targets: {
    // AWS S3 + CloudFront. `edgeship provision` creates them (one CloudFormation stack) and
    // writes the stack, bucket, region and distributionId here; by hand instead, copy the
    // stack's outputs BucketName and DistributionId. Until then deploy --target production stops.
    production: {
      store: { type: 's3', bucket: '<run edgeship provision>' },
      distributionId: '<run edgeship provision>',
    },
  },
});
