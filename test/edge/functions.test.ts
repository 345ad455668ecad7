/**
 * CloudFront Functions and response headers policies in the edge pipeline, over HTTP
 * (spec §7, §6, §0; numbered cases are spec §11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { NEXTJS_CSP, nextjsExport } from '../../src/config/presets/index.js';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { faultyStore, rawRequest, request, siteFixture, testClock, type SiteFixture } from './fixture.js';

const REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/photo.png') request.uri = '/img/photo.png';
  if (request.uri === '/boom') throw new Error('boom');
  if (request.uri === '/host') request.headers.host = { value: 'other.example' };
  if (request.uri === '/gone') return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://example.com/' } } };
  if (request.uri === '/accept') {
    var a = request.headers.accept;
    return { statusCode: 200, headers: { 'content-type': { value: 'application/json' } }, body: JSON.stringify({ accept: a, qs: request.querystring }) };
  }
  if (request.uri === '/kvs') {
    return handlerKvs(request);
  }
  return request;
}
function handlerKvs(request) { return request; }
`;

const KVS = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  const request = event.request;
  if (request.uri === '/kvs/exists') {
    const yes = await kvs.exists('missing');
    return { statusCode: 200, headers: {}, body: String(yes) + ':' + (await kvs.get('greeting')) };
  }
  if (request.uri === '/kvs/get-missing') {
    await kvs.get('missing');
  }
  return request;
}
`;

const RESPONSE = `function handler(event) {
  var response = event.response;
  if (event.request.uri === '/resp/throw.html') throw new Error('response boom');
  response.headers['x-viewer-response'] = { value: 'ran' };
  return response;
}
`;

describe('CloudFront Functions in the pipeline', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  let origin: ReturnType<typeof faultyStore>;
  beforeAll(async () => {
    fx = await siteFixture(
      {
        behaviors: [
          { path: 'img/*', cache: 'immutable', headers: 'img' },
          { path: 'kvs/*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/kvs.js' } },
          { path: 'resp/*', cache: { edge: '5m', browser: 0 }, functions: { viewerResponse: 'edge/response.js' } },
          { path: '*', cache: { edge: '5m', browser: 0 }, functions: { viewerRequest: 'edge/rewrite.js' }, headers: 'security' },
        ],
        headersPolicies: {
          security: { securityHeaders: { contentTypeOptions: { override: true }, frameOptions: { option: 'SAMEORIGIN', override: false } } },
          img: { customHeaders: [{ name: 'x-img', value: 'yes', override: false }], removeHeaders: ['server'] },
        },
        errors: [{ status: 403, page: '/resp/index.html', responseStatus: 200, ttl: 0 }],
        edge: { kvs: 'kvs.json' },
      },
      { 'edge/rewrite.js': REWRITE, 'edge/kvs.js': KVS, 'edge/response.js': RESPONSE, 'kvs.json': JSON.stringify({ greeting: 'hi' }) },
      { 'img/photo.png': Buffer.alloc(100, 3), 'photo.png': Buffer.alloc(50, 4), 'resp/index.html': 'spa', 'resp/page.html': 'page', 'resp/throw.html': 'never shown', 'page.html': 'p' },
    );
    origin = faultyStore(fx.store);
    edge = await startEdge({ site: fx.site, store: origin, clock: testClock(), announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('case 4: a rewrite to /img/photo.png fetches that object but keeps the default behavior (its headers policy, not img/*)', async () => {
    const r = await request(`${edge.url}/photo.png`);
    expect(r.body.length).toBe(100);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-img']).toBeUndefined();
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const direct = await request(`${edge.url}/img/photo.png`);
    expect(direct.headers['x-img']).toBe('yes');
    // §6.3: a policy that removes Server -> Server: CloudFront.
    expect(direct.headers.server).toBe('CloudFront');
  });

  it('case 23: a generated 301 -> FunctionGeneratedResponse, origin not contacted', async () => {
    const before = origin.gets;
    const r = await request(`${edge.url}/gone`);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://example.com/');
    expect(r.headers['x-cache']).toBe('FunctionGeneratedResponse from cloudfront');
    expect(origin.gets).toBe(before);
  });

  it('case 24: a function that throws -> 503 FunctionExecutionError; one that sets the read-only Host -> 502 FunctionValidationError', async () => {
    const boom = await request(`${edge.url}/boom`);
    expect(boom.status).toBe(503);
    expect(boom.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
    expect(boom.body.toString()).toContain('could not run');
    const host = await request(`${edge.url}/host`);
    expect(host.status).toBe(502);
    expect(host.headers['x-cache']).toBe('FunctionValidationError from cloudfront');
  });

  it('case 25: two Accept lines -> multiValue; no query string -> querystring {}', async () => {
    const reply = await rawRequest(edge.url, 'GET /accept HTTP/1.1\r\nHost: x\r\nAccept: a\r\nAccept: b\r\nConnection: close\r\n\r\n');
    const body = reply.text.slice(reply.text.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(body)).toEqual({ accept: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] }, qs: {} });
  });

  it('case 26: KeyValueStore from the configured JSON file: exists(missing) is false; get(missing) rejects -> 503', async () => {
    const r = await request(`${edge.url}/kvs/exists`);
    expect(r.body.toString()).toBe('false:hi');
    const missing = await request(`${edge.url}/kvs/get-missing`);
    expect(missing.status).toBe(503);
    expect(missing.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
  });

  it('a viewer-response function runs on hits and misses', async () => {
    const miss = await request(`${edge.url}/resp/page.html`);
    const hit = await request(`${edge.url}/resp/page.html`);
    expect(miss.headers['x-viewer-response']).toBe('ran');
    expect(hit.headers['x-viewer-response']).toBe('ran');
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
  });

  it('a viewer-response function that throws -> 503 FunctionExecutionError with CloudFront\'s page', async () => {
    const r = await request(`${edge.url}/resp/throw.html`);
    expect(r.status).toBe(503);
    expect(r.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
    expect(r.headers['content-type']).toBe('text/html');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.toString()).toContain('could not run');
  });

  it('case 16: the viewer-response function does not run for a custom error response, even with ResponseCode 200', async () => {
    const r = await request(`${edge.url}/resp/missing`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('spa');
    expect(r.headers['x-viewer-response']).toBeUndefined();
    expect(r.headers['x-cache']).toBe('Error from cloudfront');
  });

  it('case 27: a policy with override keeps/replaces per header; policy applied to hits too', async () => {
    await request(`${edge.url}/page.html`);
    const hit = await request(`${edge.url}/page.html`);
    expect(hit.headers['x-cache']).toBe('Hit from cloudfront');
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    expect(hit.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('the nextjs-export url-handler (the very file init writes and synth deploys)', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    const files = presetFiles('nextjs-export', 'example.com');
    fx = await siteFixture(nextjsExport({ domain: 'example.com' }), { 'edge/url-handler.js': files['edge/url-handler.js']! }, { 'index.html': 'home', 'about.html': 'about', '404.html': 'not found' });
    edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it("/about -> about.html (Next.js' default layout), /about/ -> 308 to /about; security headers on every response", async () => {
    const a = await request(`${edge.url}/about`);
    expect(a.body.toString()).toBe('about');
    expect(a.headers['content-security-policy']).toBe(NEXTJS_CSP);
    const slash = await request(`${edge.url}/about/?x=1`);
    expect([slash.status, slash.headers.location]).toEqual([308, '/about?x=1']);
    expect((await request(`${edge.url}/`)).body.toString()).toBe('home');
  });

  it('a missing page -> 404 with 404.html (403 from S3 mapped, §5)', async () => {
    const r = await request(`${edge.url}/nope`);
    expect(r.status).toBe(404);
    expect(r.body.toString()).toBe('not found');
  });

  it('an alias host redirects to the configured domain only; a hostile Host is never copied into Location (no open redirect)', async () => {
    const www = await request(`${edge.url}/about?x=1`, { headers: { host: 'www.example.com' } });
    expect(www.status).toBe(301);
    expect(www.headers.location).toBe('https://example.com/about?x=1');
    const evil = await request(`${edge.url}/about`, { headers: { host: 'evil.example' } });
    expect(evil.status).toBe(200);
    expect(evil.headers.location).toBeUndefined();
    const sneaky = await request(`${edge.url}//evil.example/x`, { headers: { host: 'www.example.com' } });
    expect(sneaky.headers.location).toBe('https://example.com//evil.example/x');
  });
});

