/**
 * The CloudFront Function `edgeship init` writes (templates/url-handler.js), rendered exactly
 * as `presetFiles('nextjs-export', 'example.com')` renders it, run in the local runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../cli/init.js';
import type { CfRequest, CfResponse, EdgeFunction } from '../contracts.js';
import { applyCfRequest, generatedResponse } from './event.js';
import { loadEdgeFunction } from './runtime.js';
import { requestEvent, tempDir } from './test-helpers.js';

const dir = tempDir();
let fn: EdgeFunction;

beforeAll(async () => {
  const file = path.join(dir, 'edge/url-handler.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, presetFiles('nextjs-export', 'example.com')['edge/url-handler.js'] as string);
  fn = await loadEdgeFunction(file, { timeLimitMs: 5_000 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(url: string, host: string) {
  const event = requestEvent(url, [['Host', host]]);
  return { event, result: await fn.runViewerRequest(event) };
}

describe('templates/url-handler.js (viewer-request)', () => {
  it('redirects the www alias with one 301 to the canonical domain, keeping path and query', async () => {
    const { result } = await run('/path?q=1', 'www.example.com');
    const response = (result as { response: CfResponse }).response;
    expect(generatedResponse(response)).toMatchObject({
      status: 301,
      headers: { location: 'https://example.com/path?q=1', 'cache-control': 'public, max-age=3600' },
    });
  });

  it('matches the alias case-insensitively (host names are)', async () => {
    const { result } = await run('/', 'WWW.Example.COM');
    expect(result).toMatchObject({ response: { statusCode: 301, headers: { location: { value: 'https://example.com/' } } } });
  });

  it.each(['evil.com', 'www.example.com.evil.com', 'evil.com/www.example.com', 'wwwXexample.com'])('never redirects a hostile Host %s (no open redirect)', async (host) => {
    const { result } = await run('/about', host);
    expect('request' in result).toBe(true);
    expect((result as { request: CfRequest }).request.uri).toBe('/about/index.html');
  });

  it.each([
    ['/about', '/about/index.html'],
    ['/about/', '/about/index.html'],
    ['/', '/index.html'],
    ['/docs/intro', '/docs/intro/index.html'],
    ['/a.css', '/a.css'],
    ['/_next/static/chunks/main.js', '/_next/static/chunks/main.js'],
  ])('rewrites %s to %s on the canonical host', async (uri, expected) => {
    const { event, result } = await run(`${uri}?x=1`, 'example.com');
    const request = (result as { request: CfRequest }).request;
    expect(request.uri).toBe(expected);
    expect(applyCfRequest(event, request).url).toBe(`${expected}?x=1`);
  });
});
