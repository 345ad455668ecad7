import type { EdgeshipConfig } from '../schema.js';

// The rules every preset (and examples/marketing, which is `init`'s output for its layout) is
// made of, each with the comment the written config carries: one source for the table's intent.

type Behavior = NonNullable<EdgeshipConfig['behaviors']>[number];

export interface Rule {
  /** The comment written above the behavior in the config file. */
  comment: string;
  behavior: Behavior;
}

/** Content-Security-Policy for a static export: the frameworks' inline bootstrap scripts and styles need 'unsafe-inline'. */
export const SITE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** A folder the framework fills with content-hashed files only (its own contract): a year, never revalidated. */
export function hashedFolder(pattern: string, framework: string): Rule {
  return { comment: `${framework} names every file here by its content: cached for a year, never revalidated.`, behavior: { path: pattern, cache: 'immutable' } };
}

/**
 * Images: `edgeship images` writes variants named `<name>.<hash>.<width>.<ext>`; their objects
 * are stored immutable by the hashed-name rule. The originals and the manifest keep their names
 * (other sites may link them), so the behavior itself stays short.
 */
export function images(dir = 'images'): Rule {
  return {
    comment: 'Images: variants from `edgeship images` carry a content hash in their names and are stored\n// immutable; originals keep their names (other sites may link them): a day at the edge, an hour in browsers.',
    behavior: { path: `${dir}/*`, cache: { edge: '1d', browser: '1h', hashedNames: 'immutable' } },
  };
}

/** Pages and everything else: 5 minutes at the edge, revalidated by browsers every time. */
export function pages(urlHandler: string, options: { hashedNames: boolean }): Rule {
  const cache = options.hashedNames ? { edge: '5m', browser: 0, hashedNames: 'immutable' as const } : { edge: '5m', browser: 0 };
  return {
    comment: options.hashedNames
      ? 'Everything else: pages 5 minutes at the edge and revalidated by browsers every time; a file whose\n// name carries a content hash (a fingerprinted CSS file, a processed image) is stored immutable.'
      : 'Everything else (pages and their data): 5 minutes at the edge, revalidated by browsers every time.',
    behavior: { path: '*', cache, functions: { viewerRequest: urlHandler }, headers: 'security' },
  };
}

export const SECURITY_HEADERS: NonNullable<EdgeshipConfig['headersPolicies']> = {
  security: {
    securityHeaders: {
      strictTransportSecurity: { maxAge: '730d', includeSubdomains: true, override: true },
      contentSecurityPolicy: { policy: SITE_CSP, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { option: 'DENY', override: true },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin', override: true },
    },
  },
};

/** A missing page answers 404 with the site's own page (S3 behind Origin Access Control answers 403 for a missing key). */
export function notFound(page: string): NonNullable<EdgeshipConfig['errors']> {
  return [
    { status: 403, page, responseStatus: 404, ttl: '10s' },
    { status: 404, page, responseStatus: 404, ttl: '10s' },
  ];
}
