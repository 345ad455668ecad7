/**
 * The url-handler `init` writes for an atomic site, run in the local runtime with a
 * KeyValueStore: every request it lets through is rewritten into the prefix of the deploy the
 * store names (the live one, or a preview host's), with one read; redirects are unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../cli/init.js';
import { renderUrlHandler } from '../../config/presets/url-handler.js';
import { presetSpec } from '../../config/presets/index.js';
import { callsKvs } from '../../synth/kvs.js';
import { applyCfRequest } from './event.js';
import { loadEdgeFunction } from './runtime.js';
import { requestEvent, tempDir } from './test-helpers.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function handlerWith(kvs: Record<string, string>, previewDomain = 'preview.example.com') {
  const spec = presetSpec('nextjs-export', { domain: 'example.com' });
  const file = path.join(dir, `atomic-${Object.keys(kvs).length}-${previewDomain.length}.js`);
  fs.writeFileSync(file, renderUrlHandler('example.com', ['www.example.com'], spec.url, { atomic: true, previewDomain }));
  const kvsFile = path.join(dir, `${path.basename(file)}.kvs.json`);
  fs.writeFileSync(kvsFile, JSON.stringify(kvs));
  return loadEdgeFunction(file, { timeLimitMs: 5_000, computeBudgetUs: 20_000, kvsFile });
}

async function outcome(fn: Awaited<ReturnType<typeof handlerWith>>, url: string, host = 'example.com'): Promise<string> {
  const event = requestEvent(url, [['Host', host]]);
  const result = await fn.runViewerRequest(event);
  if ('response' in result) return `${result.response.statusCode} ${result.response.headers.location?.value}`;
  return `-> ${applyCfRequest(event, result.request).url}`;
}

describe('templates/url-handler.js in atomic mode', () => {
  it('rewrites pages, the root and files into the live deploy prefix (es:live)', async () => {
    const fn = await handlerWith({ 'es:live': '7' });
    expect(await outcome(fn, '/')).toBe('-> /_deploys/7/index.html');
    expect(await outcome(fn, '/about')).toBe('-> /_deploys/7/about.html');
    expect(await outcome(fn, '/about.txt?_rsc=1')).toBe('-> /_deploys/7/about.txt?_rsc=1');
    expect(await outcome(fn, '/robots.txt')).toBe('-> /_deploys/7/robots.txt');
  });

  it('redirects exactly as in-place mode: the alias host and the other slash form, no store read needed', async () => {
    const fn = await handlerWith({ 'es:live': '7' });
    expect(await outcome(fn, '/about/')).toBe('308 /about');
    expect(await outcome(fn, '/x', 'www.example.com')).toBe('301 https://example.com/x');
  });

  it('a host under the preview domain gets its own deploy (es:host:<host>); the live site keeps es:live', async () => {
    const fn = await handlerWith({ 'es:live': '7', 'es:host:feature-a.preview.example.com': '9' });
    expect(await outcome(fn, '/about', 'feature-a.preview.example.com')).toBe('-> /_deploys/9/about.html');
    expect(await outcome(fn, '/about', 'FEATURE-A.preview.example.com')).toBe('-> /_deploys/9/about.html');
    expect(await outcome(fn, '/about')).toBe('-> /_deploys/7/about.html');
  });

  it('without a pointer (nothing deployed atomically yet, or an unknown preview) the natural key is asked for', async () => {
    expect(await outcome(await handlerWith({}), '/about')).toBe('-> /about.html');
    expect(await outcome(await handlerWith({ 'es:live': '7' }), '/about', 'nope.preview.example.com')).toBe('-> /about.html');
  });

  it('stays within CloudFront limits: under 10 KB of code; the in-place function never calls cf.kvs()', () => {
    const atomic = presetFiles('nextjs-export', 'example.com', {}, { atomic: true })['edge/url-handler.js']!;
    const inPlace = presetFiles('nextjs-export', 'example.com')['edge/url-handler.js']!;
    expect(Buffer.byteLength(atomic)).toBeLessThan(10_240);
    expect(callsKvs(atomic)).toBe(true);
    expect(callsKvs(inPlace)).toBe(false);
    expect(inPlace).not.toContain('_deploys');
  });
});
