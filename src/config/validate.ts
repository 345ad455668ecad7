import path from 'node:path';
import { canonicalPattern } from '../behavior/pattern.js';
import type { ConfigIssue } from './errors.js';
import { showValue } from './errors.js';
import type { ParsedConfig } from './schema.js';

/** CloudFront quotas and rules the config is checked against (spec/cloudfront.md). */
export const LIMITS = {
  /** §1.1: ordered cache behaviors per distribution (the default `*` not counted). */
  behaviors: 75,
  /** §7.5: function code size in bytes. */
  functionBytes: 10 * 1024,
  /** §5.1 */
  errorStatuses: [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504],
  responseStatuses: [200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504],
  /** §6.3: headers a response-headers policy may not remove. */
  unremovable: /^(connection|content-encoding|content-length|expect|host|keep-alive|proxy-authenticate|proxy-authorization|proxy-connection|trailer|transfer-encoding|upgrade|via|warning|x-accel-.*|x-amz-cf-.*|x-amzn-.*|x-cache|x-edge-.*|x-forwarded-proto|x-real-ip)$/i,
};

export interface ValidationContext {
  /** Folder of the config file: relative paths in the config are read from here. */
  rootDir: string;
  /** Size in bytes of a file, or `undefined` when it does not exist. */
  fileSize(absPath: string): number | undefined;
}

export interface Validation {
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** Checks what a schema cannot: CloudFront's rules across fields, names that must exist, files. */
export function validateConfig(config: ParsedConfig, ctx: ValidationContext): Validation {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  const ordered = config.behaviors.filter((b) => canonicalPattern(b.path) !== '*').length;

  config.behaviors.forEach((b, i) => {
    const at = `behaviors[${i}]`;
    if (typeof b.path !== 'string') return; // unreadable; the schema reports it
    if (b.path.includes('**')) {
      warnings.push({
        path: `${at}.path`,
        value: b.path,
        message: `${showValue(b.path)} contains "**", which CloudFront reads as "*" (any characters, crossing "/"), not as a globstar; write "*"`,
      });
    }
    const canonical = canonicalPattern(b.path);
    const first = seen.get(canonical);
    if (first !== undefined) {
      issues.push({ path: `${at}.path`, value: b.path, message: `${showValue(b.path)} repeats behaviors[${first}].path; the later one would never match, remove it` });
    } else seen.set(canonical, i);
    if (canonical === '*' && i !== config.behaviors.length - 1) {
      issues.push({
        path: `${at}.path`,
        value: b.path,
        message: `"*" is the default behavior and must be last; behaviors after it (from behaviors[${i + 1}]) would never match`,
      });
    }
    if (b.headers !== undefined && !(b.headers in config.headersPolicies)) {
      const known = Object.keys(config.headersPolicies);
      issues.push({
        path: `${at}.headers`,
        value: b.headers,
        message: `${showValue(b.headers)} is not a policy in headersPolicies (${known.length ? `defined: ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'none is defined'})`,
      });
    }
    for (const [event, file] of Object.entries(b.functions ?? {})) {
      if (typeof file !== 'string') continue;
      const abs = path.resolve(ctx.rootDir, file);
      const size = ctx.fileSize(abs);
      if (size === undefined) {
        issues.push({ path: `${at}.functions.${event}`, value: file, message: `${showValue(file)} does not exist (looked for ${abs}); run "edgeship init" to write one, or fix the path` });
      } else if (size > LIMITS.functionBytes) {
        issues.push({
          path: `${at}.functions.${event}`,
          value: file,
          message: `${showValue(file)} is ${size} bytes; CloudFront Functions code is at most ${LIMITS.functionBytes} bytes (10 KB), minify it or move data to a KeyValueStore`,
        });
      }
    }
    if (typeof b.cache === 'object' && typeof b.cache.browser === 'number' && b.cache.browser > b.cache.edge) {
      warnings.push({
        path: `${at}.cache`,
        message: `browser (${b.cache.browser}s) is longer than edge (${b.cache.edge}s): an invalidation cannot reach browsers, so a change takes up to ${b.cache.browser}s to show`,
      });
    }
  });
  if (ordered > LIMITS.behaviors) {
    issues.push({
      path: 'behaviors',
      value: ordered,
      message: `${ordered} cache behaviors besides "*"; CloudFront allows at most ${LIMITS.behaviors} per distribution (ask AWS for more, or merge patterns)`,
    });
  }

  for (const [name, policy] of Object.entries(config.headersPolicies)) {
    (Array.isArray(policy.removeHeaders) ? policy.removeHeaders : []).forEach((h, i) => {
      if (typeof h === 'string' && LIMITS.unremovable.test(h)) {
        issues.push({ path: `headersPolicies.${name}.removeHeaders[${i}]`, value: h, message: `${showValue(h)} cannot be removed by CloudFront (spec §6.3)` });
      }
    });
    const xss = policy.securityHeaders?.xssProtection;
    if (xss?.modeBlock && xss.reportUri) {
      issues.push({ path: `headersPolicies.${name}.securityHeaders.xssProtection`, message: 'modeBlock and reportUri cannot be used together' });
    }
  }

  const statuses = new Map<number, number>();
  config.errors.forEach((e, i) => {
    const at = `errors[${i}]`;
    if (typeof e.status !== 'number') return; // unreadable; the schema reports it
    if (!LIMITS.errorStatuses.includes(e.status)) {
      issues.push({ path: `${at}.status`, value: e.status, message: `${e.status} cannot have a custom error response; CloudFront accepts ${LIMITS.errorStatuses.join(', ')}` });
    }
    const dup = statuses.get(e.status);
    if (dup !== undefined) issues.push({ path: `${at}.status`, value: e.status, message: `${e.status} is already configured in errors[${dup}]` });
    statuses.set(e.status, i);
    if (e.responseStatus !== undefined && !LIMITS.responseStatuses.includes(e.responseStatus)) {
      issues.push({ path: `${at}.responseStatus`, value: e.responseStatus, message: `${e.responseStatus} is not a response code CloudFront accepts (${LIMITS.responseStatuses.join(', ')})` });
    }
    if (e.responseStatus !== undefined && e.page === undefined) {
      issues.push({ path: `${at}.page`, message: 'responseStatus needs a page to answer with; add page (e.g. "/404.html") or remove responseStatus' });
    }
    if (typeof e.page === 'string' && !e.page.startsWith('/')) {
      issues.push({ path: `${at}.page`, value: e.page, message: `${showValue(e.page)} must start with "/" (a URL path such as "/404.html")` });
    }
  });

  if (config.redirectToDomain && !config.domain) {
    issues.push({ path: 'redirectToDomain', value: true, message: 'needs domain: the host every alias is redirected to' });
  }
  for (const [name, target] of Object.entries(config.targets)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      issues.push({ path: `targets.${name}`, message: `target names use letters, digits, "-" and "_"` });
    }
    if (target.store.type === 's3' && target.store.prefix?.startsWith('/')) {
      issues.push({ path: `targets.${name}.store.prefix`, value: target.store.prefix, message: 'an S3 key prefix does not start with "/"' });
    }
  }
  return { issues, warnings };
}
