import type { EdgeshipConfig } from './schema.js';

export interface NextjsExportOptions {
  /** Canonical host; `www.<domain>` is redirected to it. */
  domain?: string;
  /** The viewer-request function file, relative to the config. */
  urlHandler?: string;
}

/** Content-Security-Policy for a static Next.js export: its inline bootstrap scripts need 'unsafe-inline'. */
export const NEXTJS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * The `nextjs-export` preset: the table teams run in production for a Next.js
 * `output: 'export'` build on S3 + CloudFront.
 */
export function nextjsExport(options: NextjsExportOptions = {}): EdgeshipConfig {
  const domain = options.domain ?? 'example.com';
  return {
    site: 'out',
    domain,
    aliases: [`www.${domain}`],
    redirectToDomain: true,
    behaviors: [
      { path: '_next/static/*', cache: 'immutable' },
      { path: 'images/*', cache: 'immutable' },
      {
        path: '*',
        cache: { edge: '5m', browser: 0 },
        functions: { viewerRequest: options.urlHandler ?? 'edge/url-handler.js' },
        headers: 'security',
      },
    ],
    headersPolicies: {
      security: {
        securityHeaders: {
          strictTransportSecurity: { maxAge: '730d', includeSubdomains: true, override: true },
          contentSecurityPolicy: { policy: NEXTJS_CSP, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { option: 'DENY', override: true },
          referrerPolicy: { policy: 'strict-origin-when-cross-origin', override: true },
        },
      },
    },
    errors: [
      { status: 403, page: '/404.html', responseStatus: 404, ttl: '10s' },
      { status: 404, page: '/404.html', responseStatus: 404, ttl: '10s' },
    ],
  };
}

export const PRESETS = { 'nextjs-export': nextjsExport } as const;
export type PresetName = keyof typeof PRESETS;
