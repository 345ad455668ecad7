/**
 * Hostile input (spec §4.11, §0 steps 1-5; case 30): oversized requests, bodies on GET,
 * percent-encoded traversal, bad encodings, cache poisoning through Host, slow clients.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../src/edge/index.js';
import { rawRequest, request, siteFixture, testClock, type SiteFixture } from './fixture.js';

describe('hostile input', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  beforeAll(async () => {
    fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] }, { 'secret.txt': 'TOP SECRET' }, { 'page.html': 'page', 'a/b.txt': 'b' });
    edge = await startEdge({ site: fx.site, store: fx.store, clock: testClock(), announce: false, headersTimeoutMs: 300 });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('case 30: a URL of 8,193 bytes -> 413 and the connection closed', async () => {
    const url = `/${'a'.repeat(8192)}`;
    expect(Buffer.byteLength(url)).toBe(8193);
    const r = await rawRequest(edge.url, `GET ${url} HTTP/1.1\r\nHost: x\r\n\r\n`, 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.closed).toBe(true);
    // 8,192 bytes is still accepted.
    expect((await request(`${edge.url}/${'a'.repeat(8191)}`)).status).toBe(403);
  });

  it('§4.11: request line + headers over 20,480 bytes -> 413 and the connection closed', async () => {
    const r = await rawRequest(edge.url, `GET /page.html HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(21_000)}\r\n\r\n`, 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.closed).toBe(true);
  });

  it('case 30: GET with a body -> 403', async () => {
    const r = await rawRequest(edge.url, 'GET /page.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('case 5: a method the behavior does not allow -> 403 with CloudFront text, no origin request', async () => {
    const r = await request(`${edge.url}/page.html`, { method: 'POST' });
    expect(r.status).toBe(403);
    expect(r.body.toString()).toContain('This distribution is not configured to allow the HTTP request method');
  });

  it.each([
    '/..%2f..%2fsecret.txt',
    '/%2e%2e/%2e%2e/secret.txt',
    '/%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/a/..%2f..%2f..%2fsecret.txt',
    '/../../secret.txt',
    '/..\\..\\secret.txt',
    '/..%5c..%5csecret.txt',
    '/page.html%00.txt',
    '/.edgeship/store/edgeship-store.json',
    '/.edgeship%2fstore%2fedgeship-store.json',
  ])('%s never escapes the store (answered as a missing key)', async (target) => {
    const r = await rawRequest(edge.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 (403|400) /);
    expect(r.text).not.toContain('TOP SECRET');
  });

  it.each(['/%c0%ae%c0%ae/secret.txt', '/%e0%80%ae', '/%', '/%ff'])('%s (invalid or overlong UTF-8) -> 400, server keeps serving', async (target) => {
    const r = await rawRequest(edge.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    expect((await request(`${edge.url}/page.html`)).status).toBe(200);
  });

  it('Host is not in the cache key: another Host gets the same entry, and cannot poison it', async () => {
    const a = await request(`${edge.url}/a/b.txt`, { headers: { host: 'evil.example' } });
    const b = await request(`${edge.url}/a/b.txt`, { headers: { host: 'site.example' } });
    expect(a.body.toString()).toBe('b');
    expect(b.body.toString()).toBe('b');
    expect(b.headers['x-cache']).toBe('Hit from cloudfront');
  });

  it('a client that never finishes its headers is cut off without stalling others', async () => {
    const slow = net.connect(Number(new URL(edge.url).port), '127.0.0.1');
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    slow.on('error', () => undefined);
    slow.resume(); // read what the server sends, so its close is seen
    slow.write('GET /page.html HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const others = await Promise.all([1, 2, 3].map(() => request(`${edge.url}/page.html`)));
    expect(others.every((r) => r.status === 200)).toBe(true);
    await closed;
    expect(slow.destroyed).toBe(true);
  });

  it('a file outside the store really exists (the traversal tests are meaningful)', () => {
    expect(fs.readFileSync(path.join(fx.dir, 'secret.txt'), 'utf8')).toBe('TOP SECRET');
  });
});
