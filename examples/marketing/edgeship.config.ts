// edgeship config for a Next.js `output: 'export'` build (preset: nextjs-export).
// What `edgeship init` found:
//   Next.js: next.config.mjs exists
//   next.config.mjs: output 'export' (a static export)
//   the export goes to out/ (Next.js' default)
//   next.config.mjs: trailingSlash true, so pages are page/index.html at /page/
// One table drives everything: the headers stored on each object at deploy, the local edge
// (`edgeship serve`), the CloudFront stack (`edgeship synth`) and `edgeship audit`.
// Ask what any URL gets with `edgeship explain /some/path`.
import { defineConfig } from 'edgeship';

export default defineConfig({
  // The folder `next build` writes.
  site: 'out',
  // Canonical host; the aliases are redirected to it by edge/url-handler.js.
  domain: 'marketing.example.com',
  aliases: ['www.marketing.example.com'],
  redirectToDomain: true,

  // Ordered cache behaviors: the first pattern that matches a URL path wins.
  // `*` crosses `/` and `?` is exactly one character, as in CloudFront.
  behaviors: [
    // Next.js names every file here by its content: cached for a year, never revalidated.
    { path: '_next/static/*', cache: 'immutable' },
    // Images: variants from `edgeship images` carry a content hash in their names and are stored
    // immutable; originals keep their names (other sites may link them): a day at the edge, an hour in browsers.
    { path: 'images/*', cache: { edge: '1d', browser: '1h', hashedNames: 'immutable' } },
    // Everything else (pages and their data): 5 minutes at the edge, revalidated by browsers every time.
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
          policy: "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { option: 'DENY', override: true },
        referrerPolicy: { policy: 'strict-origin-when-cross-origin', override: true },
      },
    },
  },

  // Custom error responses: a missing page answers 404 with the site's own 404 page
  // (S3 behind Origin Access Control answers 403 for a missing key).
  errors: [
    { status: 403, page: '/404.html', responseStatus: 404, ttl: '10s' },
    { status: 404, page: '/404.html', responseStatus: 404, ttl: '10s' },
  ],

  // The image manifest is for build tools, not for viewers.
  deploy: { exclude: ['images/manifest.json'] },

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
