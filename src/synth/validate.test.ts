/**
 * Configs CloudFront would refuse fail when the stack is built, naming the config path and the
 * reason (spec §1.1, §2.1, §5, §6.3, §7.5, §9.2, §9.4). Nothing is synthesized for them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { resolveConfig } from '../config/load.js';
import type { EdgeshipConfig } from '../config/schema.js';
import { EdgeshipSite } from './site.js';
import { validateForSynth } from './validate.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-synth-validate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123';
const long = (n: number, c = 'a') => c.repeat(n);

const REJECTED: [string, EdgeshipConfig, string, RegExp][] = [
  ['a certificate outside us-east-1 (§9.2)', { domain: 'example.com', synth: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } }, 'synth.certificateArn', /us-east-1/],
  ['a certificate ARN that is not ACM', { domain: 'example.com', synth: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' } }, 'synth.certificateArn', /not an ACM certificate ARN/],
  ['a certificate with no host name', { synth: { certificateArn: CERT } }, 'synth.certificateArn', /set domain/],
  ['an alias that is not a host name', { domain: 'example.com', aliases: ['Bad_Host'], synth: { certificateArn: CERT } }, 'aliases[0]', /not a host name/],
  ['an alias repeating the domain', { domain: 'example.com', aliases: ['example.com'], synth: { certificateArn: CERT } }, 'aliases[0]', /repeats domain/],
  ['more than 100 alternate domain names (§9.4)', { domain: 'example.com', aliases: Array.from({ length: 100 }, (_, i) => `h${i}.example.com`) }, 'aliases', /at most 100/],
  ['a cache key on a no-store behavior (caching disabled)', { behaviors: [{ path: 'api/*', cache: 'no-store', cacheKey: { queryStrings: 'all' } }] }, 'behaviors[0].cacheKey', /caching disabled/],
  ['a cache key on an edge TTL of 0', { behaviors: [{ path: '*', cache: { edge: 0, browser: 0 }, cacheKey: { headers: ['Accept-Language'] } }] }, 'behaviors[0].cacheKey', /caching disabled/],
  [
    'cache-key names over 1,024 characters (§2.1)',
    { behaviors: [{ path: 'x/*', cache: 'immutable', cacheKey: { headers: Array.from({ length: 10 }, (_, i) => `x-${i}-${long(110)}`) } }] },
    'behaviors[0].cacheKey',
    /at most 1024/,
  ],
  [
    'custom headers over 10,240 characters (§6.3)',
    { headersPolicies: { big: { customHeaders: Array.from({ length: 10 }, (_, i) => ({ name: `x-${i}`, value: long(1_100) })) } } },
    'headersPolicies.big.customHeaders',
    /at most 10240/,
  ],
  ['a custom header listed twice', { headersPolicies: { p: { customHeaders: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] } } }, 'headersPolicies.p.customHeaders', /listed twice/],
  ['a default root object with a leading "/"', { defaultRootObject: '/index.html' }, 'defaultRootObject', /without a leading/],
  // Generic checks (src/config/validate.ts) run first and stop the construct the same way.
  ['the default behavior not last (§1.1)', { behaviors: [{ path: '*', cache: 'immutable' }, { path: 'a/*', cache: 'immutable' }] }, 'behaviors[0].path', /must be last/],
  ['a missing function file (§7.5)', { behaviors: [{ path: '*', cache: 'immutable', functions: { viewerRequest: 'edge/nope.js' } }] }, 'behaviors[0].functions.viewerRequest', /does not exist/],
  ['a response code without a page (§5.1)', { errors: [{ status: 404, responseStatus: 200 }] }, 'errors[0].page', /needs a page/],
  ['an unknown price class', { synth: { priceClass: 'PriceClass_Cheap' as 'PriceClass_100' } }, 'synth.priceClass', /PriceClass_100/],
  ['a stack name CloudFormation refuses', { synth: { stackName: '1-site' } }, 'synth.stackName', /starts with a letter/],
];

describe('configs CloudFront would refuse fail at synth with the path and the reason', () => {
  it.each(REJECTED)('%s', (_name, config, issuePath, reason) => {
    const stack = new Stack(new App(), 'Rejected');
    let error: unknown;
    try {
      new EdgeshipSite(stack, 'Site', { config, rootDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.path === issuePath);
    expect(issue, `${(error as Error).message}`).toBeDefined();
    expect(issue!.message).toMatch(reason);
    expect(stack.node.tryFindChild('Site')?.node.tryFindChild('Distribution')).toBeUndefined();
  });
});

describe('validateForSynth', () => {
  it('leaves host names off without a certificate and says so, instead of failing', () => {
    const v = validateForSynth(resolveConfig({ domain: 'example.com', aliases: ['www.example.com'] }, dir));
    expect(v.issues).toEqual([]);
    expect(v.domainNames).toEqual([]);
    expect(v.warnings.map((w) => w.path)).toEqual(['synth.certificateArn']);
  });

  it('attaches domain then aliases with a us-east-1 certificate, wildcard aliases included', () => {
    const v = validateForSynth(resolveConfig({ domain: 'example.com', aliases: ['www.example.com', '*.example.com'], synth: { certificateArn: CERT } }, dir));
    expect(v).toMatchObject({ issues: [], warnings: [], domainNames: ['example.com', 'www.example.com', '*.example.com'] });
  });

  it('an atomic site with a preview domain also answers its wildcard (previews are <name>.<previewDomain>)', () => {
    const config = { domain: 'example.com', deploy: { atomic: true, previewDomain: 'preview.example.com' }, synth: { certificateArn: CERT } };
    expect(validateForSynth(resolveConfig(config, dir)).domainNames).toEqual(['example.com', '*.preview.example.com']);
    expect(validateForSynth(resolveConfig({ ...config, deploy: { previewDomain: 'preview.example.com' } }, dir)).domainNames).toEqual(['example.com']);
  });

  it('warns that listing Accept-Encoding in the key turns compression off (§3)', () => {
    const v = validateForSynth(resolveConfig({ behaviors: [{ path: 'x/*', cache: 'immutable', cacheKey: { headers: ['Accept-Encoding'] } }] }, dir));
    expect(v.warnings.map((w) => w.path)).toEqual(['behaviors[0].cacheKey.headers']);
  });

  it('refuses function code outside the cloudfront-js-2.0 feature list, naming the behavior, file:line:column and the feature', () => {
    fs.mkdirSync(path.join(dir, 'edge'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'edge/classy.js'), `class Router {}\nfunction handler(event) { return event.request; }\n`);
    const v = validateForSynth(resolveConfig({ behaviors: [{ path: '*', cache: { edge: 60, browser: 0 }, functions: { viewerRequest: 'edge/classy.js' } }] }, dir));
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]!.path).toBe('behaviors[0].functions.viewerRequest');
    expect(v.issues[0]!.message).toBe(`${path.join(dir, 'edge/classy.js')}:1:1: class is not in the cloudfront-js-2.0 feature list (functions-javascript-runtime-20.html)`);
  });

  it('warns past the account quota of 20 custom cache policies', () => {
    const behaviors = Array.from({ length: 21 }, (_, i) => ({ path: `p${i}/*`, cache: { edge: 60 * (i + 1), browser: 0 } }));
    const v = validateForSynth(resolveConfig({ behaviors }, dir));
    expect(v.issues).toEqual([]);
    expect(v.warnings.map((w) => w.message).join('\n')).toMatch(/21 distinct cache policies/); // the default (5 min) shares p4/*'s policy;
  });
});
