import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveConfig } from '../../src/config/load.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-config-'));
fs.mkdirSync(path.join(root, 'edge'));
fs.writeFileSync(path.join(root, 'edge/ok.js'), 'function handler(event) { return event.request; }\n');
fs.writeFileSync(path.join(root, 'edge/huge.js'), `// ${'x'.repeat(11_000)}\nfunction handler(e) { return e.request; }\n`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The issues a config produces, as `path: message` lines. */
function problems(config: unknown): string[] {
  try {
    resolveConfig(config, root, path.join(root, 'edgeship.config.ts'));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const star = { path: '*', cache: { edge: '5m', browser: 0 } } as const;

describe('config errors name the path, the bad value and what is accepted', () => {
  it('a path pattern with characters CloudFront does not accept (spec §1.2)', () => {
    expect(problems({ behaviors: [{ path: 'images/{a,b}/*', cache: 'immutable' }, star] })).toEqual([
      `behaviors[0].path: "images/{a,b}/*" has characters CloudFront does not accept ("{", ",", "}"); allowed: A-Z a-z 0-9 _ - . * ? $ / ~ " ' @ : + &`,
    ]);
  });

  it('a pattern over 255 characters', () => {
    const long = `${'a'.repeat(254)}/*`;
    expect(problems({ behaviors: [{ path: long, cache: 'immutable' }] })).toEqual([
      `behaviors[0].path: "${'a'.repeat(56)}... is 256 characters long; CloudFront accepts at most 255`,
    ]);
  });

  it('more behaviors than the CloudFront quota (75 besides the default)', () => {
    const many = Array.from({ length: 76 }, (_, i) => ({ path: `p${i}/*`, cache: 'immutable' as const }));
    expect(problems({ behaviors: [...many, star] })).toEqual([
      'behaviors: 76 cache behaviors besides "*"; CloudFront allows at most 75 per distribution (ask AWS for more, or merge patterns)',
    ]);
    const exactly = Array.from({ length: 75 }, (_, i) => ({ path: `p${i}/*`, cache: 'immutable' as const }));
    expect(problems({ behaviors: [...exactly, star] })).toEqual([]);
  });

  it('duplicate patterns, also when one has a leading slash', () => {
    expect(problems({ behaviors: [{ path: 'images/*', cache: 'immutable' }, { path: '/images/*', cache: 'no-store' }] })).toEqual([
      'behaviors[1].path: "/images/*" repeats behaviors[0].path; the later one would never match, remove it',
    ]);
  });

  it('a behavior after "*"', () => {
    expect(problems({ behaviors: [star, { path: 'images/*', cache: 'immutable' }] })).toEqual([
      'behaviors[0].path: "*" is the default behavior and must be last; behaviors after it (from behaviors[1]) would never match',
    ]);
  });

  it('an unknown headers-policy name', () => {
    expect(problems({ headersPolicies: { security: {} }, behaviors: [{ ...star, headers: 'secure' }] })).toEqual([
      'behaviors[0].headers: "secure" is not a policy in headersPolicies (defined: "security")',
    ]);
  });

  it('a function file that is missing', () => {
    expect(problems({ behaviors: [{ ...star, functions: { viewerRequest: 'edge/missing.js' } }] })).toEqual([
      `behaviors[0].functions.viewerRequest: "edge/missing.js" does not exist (looked for ${path.join(root, 'edge/missing.js')}); run "edgeship init" to write one, or fix the path`,
    ]);
  });

  it('a function file over the CloudFront Functions size limit (10 KB, spec §7.5)', () => {
    const size = fs.statSync(path.join(root, 'edge/huge.js')).size;
    expect(problems({ behaviors: [{ ...star, functions: { viewerResponse: 'edge/huge.js' } }] })).toEqual([
      `behaviors[0].functions.viewerResponse: "edge/huge.js" is ${size} bytes; CloudFront Functions code is at most 10240 bytes (10 KB), minify it or move data to a KeyValueStore`,
    ]);
  });

  it('an unparseable duration', () => {
    expect(problems({ behaviors: [{ path: '*', cache: { edge: '5 minutes', browser: 0 } }] })).toEqual([
      `behaviors[0].cache.edge: "5 minutes" is not a duration; use whole seconds (300) or a number with a unit s, m, h, d, w or y ('5m', '365d')`,
    ]);
  });

  it('an unknown key (a typo) in any block, with a suggestion', () => {
    expect(problems({ behaviours: [] })).toEqual([
      'behaviours: unknown key; did you mean "behaviors"? (accepted: site, domain, aliases, redirectToDomain, basePath, defaultRootObject, behaviors, headersPolicies, errors, images, deploy, edge, targets, synth, platformFiles)',
    ]);
    expect(problems({ behaviors: [{ path: '*', cache: 'immutable', compres: false }] })).toEqual([
      'behaviors[0].compres: unknown key; did you mean "compress"? (accepted: path, cache, functions, headers, compress, cacheKey)',
    ]);
    expect(problems({ images: { widht: [640] } })[0]).toMatch(/^images\.widht: unknown key; did you mean "widths"\?/);
    expect(problems({ deploy: { concurency: 4 } })[0]).toMatch(/^deploy\.concurency: unknown key; did you mean "concurrency"\?/);
    expect(problems({ targets: { prod: { store: { type: 's3', bucket: 'my-bucket', regoin: 'eu-west-1' } } } })[0]).toMatch(
      /^targets\.prod\.store\.regoin: unknown key; did you mean "region"\?/,
    );
    expect(problems({ headersPolicies: { s: { securityHeaders: { frameOption: { option: 'DENY' } } } } })[0]).toMatch(
      /^headersPolicies\.s\.securityHeaders\.frameOption: unknown key; did you mean "frameOptions"\?/,
    );
  });

  it('a cache value of the wrong form says which forms are accepted', () => {
    expect(problems({ behaviors: [{ path: '*', cache: 'forever' }] })).toEqual([
      `behaviors[0].cache: "forever" is not accepted; use 'immutable', 'no-store', or { edge, browser, staleWhileRevalidate?, staleIfError? } with durations such as '5m'`,
    ]);
  });

  it('custom error responses follow CloudFront (spec §5.1)', () => {
    expect(problems({ errors: [{ status: 302, page: '/x.html' }, { status: 404, responseStatus: 200 }, { status: 404, page: 'missing.html' }] })).toEqual([
      'errors[0].status: 302 cannot have a custom error response; CloudFront accepts 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504',
      'errors[1].page: responseStatus needs a page to answer with; add page (e.g. "/404.html") or remove responseStatus',
      'errors[2].status: 404 is already configured in errors[1]',
      'errors[2].page: "missing.html" must start with "/" (a URL path such as "/404.html")',
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const config = { behaviors: [{ path: 'a b', cache: 'immutable', headers: 'nope' }, star, { path: 'x/*', cache: 'immutable' }] } satisfies EdgeshipConfig;
    expect(problems(config).map((p) => p.split(':')[0])).toEqual(['behaviors[0].path', 'behaviors[0].headers', 'behaviors[1].path']);
  });

  it('warns about "**": CloudFront reads it as "*", not a globstar', () => {
    const site = resolveConfig({ behaviors: [{ path: 'assets/**', cache: 'immutable' }] }, root);
    expect(site.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'behaviors[0].path: "assets/**" contains "**", which CloudFront reads as "*" (any characters, crossing "/"), not as a globstar; write "*"',
    ]);
  });

  it('ConfigError carries exit code 2 and a message listing each issue', () => {
    try {
      resolveConfig({ site: 3 }, root, 'edgeship.config.ts');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(2);
      expect((error as ConfigError).message).toBe('edgeship.config.ts: 1 problem\n  - site: 3 is not accepted; expected string');
    }
  });
});

describe('defaults', () => {
  it('adds the default "*" behavior and the local target', () => {
    const site = resolveConfig({}, root);
    expect(site.behaviors).toEqual([{ path: '*', cache: { edge: 300, browser: 0 }, compress: true }]);
    expect(site.targets.local).toEqual({ store: { type: 'fs', dir: path.join(root, '.edgeship/store') } });
    expect(site.siteDir).toBe(path.join(root, 'out'));
    expect(site.images.widths).toEqual([640, 1080, 1920]);
    expect(site.deploy.maxDeleteRatio).toBe(0.5);
  });

  // spec §11 case 17: CloudFront rejects a CustomErrorResponse with a ResponsePagePath and no
  // ResponseCode at configuration time. edgeship differs on purpose: it fills in the original
  // status, so the synthesized stack always carries a ResponseCode and CloudFront never sees the
  // rejected shape.
  it('§11 case 17: an error page without responseStatus gets the original status (CloudFront would reject the config); the error TTL defaults to 10 s', () => {
    const site = resolveConfig({ errors: [{ status: 404, page: '/404.html' }] }, root);
    expect(site.errors).toEqual([{ status: 404, page: '/404.html', responseStatus: 404, ttl: 10 }]);
  });
});
