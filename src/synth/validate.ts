import type { ConfigIssue } from '../config/errors.js';
import type { SiteModel } from '../config/model.js';
import fs from 'node:fs';
import path from 'node:path';
import { compileTable } from '../behavior/table.js';
import { FunctionLoadError } from '../edge/functions/errors.js';
import { prepareSource } from '../edge/functions/source.js';
import { kvsIssues } from './kvs.js';

/** CloudFront rules that only matter once the config becomes a distribution (spec/cloudfront.md). */
export const SYNTH_LIMITS = {
  /** §9.4: alternate domain names per distribution. */
  aliases: 100,
  /** §2.1: total length of the header, cookie and query-string names of one cache policy. */
  cacheKeyNameBytes: 1_024,
  /** §6.3: all custom header names and values of one response headers policy. */
  customHeaderBytes: 10_240,
  /** §2.1 / §6: custom cache and response headers policies per account (adjustable). */
  policiesPerAccount: 20,
  /** §7.5: CloudFront Functions per account. */
  functionsPerAccount: 100,
} as const;

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** A host name, optionally with one leading `*.` label (CloudFront accepts wildcard aliases). */
const HOST = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface SynthValidation {
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
  /** Host names attached to the distribution (empty without a certificate). */
  domainNames: string[];
}

/**
 * What CloudFront would refuse (issues) or what the user should know (warnings) about turning
 * this site into a distribution. The generic checks already ran in `validateConfig`; these are
 * the ones specific to the generated stack. Config paths point into the user's file.
 */
export interface SynthValidateOptions {
  /** A certificate given as an object (`EdgeshipSite`'s `certificate`), in place of `synth.certificateArn`. */
  certificate?: boolean;
}

/**
 * Atomic previews are served at `<name>.<deploy.previewDomain>`: the distribution answers the
 * wildcard (CloudFront accepts one leading `*.` label), and the certificate must cover it.
 */
function previewHosts(site: Pick<SiteModel, 'deploy'>): { path: string; host: string }[] {
  return site.deploy.atomic && site.deploy.previewDomain ? [{ path: 'deploy.previewDomain', host: `*.${site.deploy.previewDomain}` }] : [];
}

export function validateForSynth(site: SiteModel, options: SynthValidateOptions = {}): SynthValidation {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const synth = site.synth;
  const hosts = [...(site.domain ? [{ path: 'domain', host: site.domain }] : []), ...site.aliases.map((host, i) => ({ path: `aliases[${i}]`, host })), ...previewHosts(site)];

  const seen = new Map<string, string>();
  for (const { path, host } of hosts) {
    if (!HOST.test(host)) {
      issues.push({ path, value: host, message: `${JSON.stringify(host)} is not a host name CloudFront accepts as an alternate domain name (lower-case labels, optionally one leading "*.")` });
    }
    const first = seen.get(host);
    if (first !== undefined) issues.push({ path, value: host, message: `${JSON.stringify(host)} repeats ${first}; each alternate domain name appears once` });
    else seen.set(host, path);
  }
  if (hosts.length > SYNTH_LIMITS.aliases) {
    issues.push({ path: 'aliases', value: hosts.length, message: `${hosts.length} host names; CloudFront allows at most ${SYNTH_LIMITS.aliases} alternate domain names per distribution (spec §9.4)` });
  }

  let domainNames: string[] = [];
  if (synth?.certificateArn !== undefined) {
    const m = ACM_ARN.exec(synth.certificateArn);
    if (!m) {
      issues.push({
        path: 'synth.certificateArn',
        value: synth.certificateArn,
        message: 'is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
      });
    } else if (m[1] !== 'us-east-1') {
      issues.push({
        path: 'synth.certificateArn',
        value: synth.certificateArn,
        message: `is in ${m[1]}; CloudFront only uses ACM certificates from us-east-1 (spec §9.2): request or import the certificate there`,
      });
    }
    if (hosts.length === 0) {
      issues.push({ path: 'synth.certificateArn', message: 'a certificate needs the host names it is for: set domain (and aliases)' });
    }
    domainNames = hosts.map((h) => h.host);
  } else if (options.certificate) {
    if (hosts.length === 0) issues.push({ path: 'domain', message: 'a certificate needs the host names it is for: set domain (and aliases)' });
    domainNames = hosts.map((h) => h.host);
  } else if (hosts.length > 0) {
    // CloudFront rejects alternate domain names without a certificate that covers them, so they
    // are left off and the distribution answers on its *.cloudfront.net name.
    warnings.push({
      path: 'synth.certificateArn',
      message: `not set: ${hosts.map((h) => h.host).join(', ')} ${hosts.length === 1 ? 'is' : 'are'} not attached to the distribution (CloudFront needs a us-east-1 ACM certificate for alternate domain names); the site answers on its *.cloudfront.net name`,
    });
  }

  if (site.defaultRootObject.startsWith('/')) {
    issues.push({ path: 'defaultRootObject', value: site.defaultRootObject, message: 'is an object name without a leading "/" (e.g. "index.html")' });
  }

  const table = compileTable(site);
  site.behaviors.forEach((b, i) => {
    const at = `behaviors[${i}]`;
    const key = b.cacheKey;
    if (!key) return;
    const names = [...(Array.isArray(key.queryStrings) ? key.queryStrings : []), ...key.headers, ...(Array.isArray(key.cookies) ? key.cookies : [])];
    const keyed = key.queryStrings !== 'none' || key.cookies !== 'none' || key.headers.length > 0;
    if (isCachingDisabled(table.behaviors[i]!.policy) && keyed) {
      issues.push({
        path: `${at}.cacheKey`,
        message: `${JSON.stringify(b.path)} is never cached (all TTLs 0): CloudFront refuses cache-key settings on a policy with caching disabled; remove cacheKey`,
      });
    }
    const bytes = names.reduce((n, s) => n + s.length, 0);
    if (bytes > SYNTH_LIMITS.cacheKeyNameBytes) {
      issues.push({ path: `${at}.cacheKey`, value: bytes, message: `names total ${bytes} characters; a cache policy allows at most ${SYNTH_LIMITS.cacheKeyNameBytes} (spec §2.1)` });
    }
    if (key.headers.some((h) => h.toLowerCase() === 'accept-encoding')) {
      warnings.push({
        path: `${at}.cacheKey.headers`,
        message: 'Accept-Encoding is already normalized into the key by compression; listing it turns CloudFront compression off for this behavior (spec §3)',
      });
    }
  });

  for (const [name, policy] of Object.entries(site.headersPolicies)) {
    const bytes = policy.customHeaders.reduce((n, h) => n + h.name.length + h.value.length, 0);
    if (bytes > SYNTH_LIMITS.customHeaderBytes) {
      issues.push({
        path: `headersPolicies.${name}.customHeaders`,
        value: bytes,
        message: `names and values total ${bytes} characters; CloudFront allows at most ${SYNTH_LIMITS.customHeaderBytes} per policy (spec §6.3)`,
      });
    }
    const dup = duplicate(policy.customHeaders.map((h) => h.name.toLowerCase()));
    if (dup !== undefined) issues.push({ path: `headersPolicies.${name}.customHeaders`, value: dup, message: `${JSON.stringify(dup)} is listed twice` });
  }

  issues.push(...kvsIssues(site));

  // Account-wide quotas: a single stack over them is certainly refused unless AWS raised them.
  const customPolicies = table.policies.filter((p) => !isCachingDisabled(p)).length;
  const headersPolicies = new Set(site.behaviors.flatMap((b) => (b.headers ? [b.headers] : []))).size;
  if (customPolicies > SYNTH_LIMITS.policiesPerAccount) {
    warnings.push({ path: 'behaviors', value: customPolicies, message: `${customPolicies} distinct cache policies; an account holds ${SYNTH_LIMITS.policiesPerAccount} unless AWS raised the quota` });
  }
  if (headersPolicies > SYNTH_LIMITS.policiesPerAccount) {
    warnings.push({ path: 'headersPolicies', value: headersPolicies, message: `${headersPolicies} response headers policies; an account holds ${SYNTH_LIMITS.policiesPerAccount} unless AWS raised the quota` });
  }
  if (table.functions.length > SYNTH_LIMITS.functionsPerAccount) {
    warnings.push({ path: 'behaviors', value: table.functions.length, message: `${table.functions.length} functions; an account holds ${SYNTH_LIMITS.functionsPerAccount}` });
  }
  issues.push(...functionCodeIssues(site));
  return { issues, warnings, domainNames };
}

/**
 * Function code CloudFront would refuse or fail on (the cloudfront-js-2.0 feature list, the
 * 10 KB size, modules), checked by the same code the local edge loads it with.
 */
function functionCodeIssues(site: SiteModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const checked = new Set<string>();
  site.behaviors.forEach((b, i) => {
    for (const [event, file] of Object.entries(b.functions ?? {})) {
      if (typeof file !== 'string') continue;
      const absolute = path.resolve(site.rootDir, file);
      if (checked.has(absolute)) continue;
      checked.add(absolute);
      let source: string;
      try {
        source = fs.readFileSync(absolute, 'utf8');
      } catch {
        continue; // A missing file is reported by the config checks.
      }
      try {
        prepareSource(absolute, source, 'cloudfront-js-2.0');
      } catch (error) {
        if (!(error instanceof FunctionLoadError)) throw error;
        issues.push({ path: `behaviors[${i}].functions.${event}`, value: file, message: error.message });
      }
    }
  });
  return issues;
}

/** A `no-store` intent: every TTL 0 and nothing in the key, which is CloudFront's managed CachingDisabled policy. */
export function isCachingDisabled(p: { minTtl: number; defaultTtl: number; maxTtl: number }): boolean {
  return p.minTtl === 0 && p.defaultTtl === 0 && p.maxTtl === 0;
}

function duplicate(values: string[]): string | undefined {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}
