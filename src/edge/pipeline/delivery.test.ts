import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionExecutionError } from '../contracts.js';
import { deliver, deliverFunctionError, deliverGenerated, deliverHit, FUNCTION_ERROR_HEADER, type Reply } from './delivery.js';
import type { BehaviorRuntime } from './types.js';

const VIA = '1.1 0123.cloudfront.net (CloudFront)';
const rt = { policy: (h: Record<string, string | string[]>) => void (h['x-policy'] = 'applied') } as unknown as BehaviorRuntime;

/** A real server on a free port; each test says how the next response is written. */
let respond: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined;
const server = http.createServer((req, res) => respond(req, res));
let port = 0;
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((port = (server.address() as AddressInfo).port), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function fetchWith(write: typeof respond, method = 'GET') {
  respond = write;
  const r = await fetch(`http://127.0.0.1:${port}/x`, { method });
  return { status: r.status, statusText: r.statusText, headers: Object.fromEntries(r.headers), body: await r.text() };
}

describe('delivery (§0 step 13)', () => {
  const reply = (req: http.IncomingMessage, extra: Partial<Reply> = {}): Reply => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello'), result: 'Miss', requestId: 'id1', rt, req, ...extra });

  it("writes the body with the headers policy and CloudFront's headers", async () => {
    const r = await fetchWith((req, res) => deliver(res, VIA, reply(req)));
    expect(r).toMatchObject({ status: 200, body: 'hello' });
    expect(r.headers).toMatchObject({ 'x-policy': 'applied', 'x-cache': 'Miss from cloudfront', 'x-amz-cf-id': 'id1', via: VIA, 'content-length': '5', server: 'CloudFront' });
  });

  it("a failed viewer-response function's marker becomes CloudFront's error page", async () => {
    const r = await fetchWith((req, res) => deliver(res, VIA, reply(req, { status: 503, headers: { [FUNCTION_ERROR_HEADER]: 'FunctionExecutionError from cloudfront' } })));
    expect(r.status).toBe(503);
    expect(r.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
    expect(r.headers[FUNCTION_ERROR_HEADER]).toBeUndefined();
    expect(r.body).toContain('The CloudFront function');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
  });

  it('streams a large object with the Content-Length given', async () => {
    const r = await fetchWith((req, res) => deliver(res, VIA, reply(req, { body: undefined, stream: Readable.from([Buffer.from('ab'), Buffer.from('cd')]), length: 4 })));
    expect(r.body).toBe('abcd');
    expect(r.headers['content-length']).toBe('4');
  });

  it('a plain hit is the prepared list with Age, X-Cache and the id filled in', async () => {
    const prepared = ['content-type', 'text/plain', 'content-length', '2', 'age', '0', 'x-cache', '', 'x-amz-cf-id', ''];
    const r = await fetchWith((_req, res) => void deliverHit(res, 200, prepared, 'Hit from cloudfront', 'id2', '7', Buffer.from('hi')));
    expect(r.body).toBe('hi');
    expect(r.headers).toMatchObject({ age: '7', 'x-cache': 'Hit from cloudfront', 'x-amz-cf-id': 'id2' });
    // A response not from the cache (a Miss served at once) has no Age, and leaves the list alone.
    const miss = await fetchWith((_req, res) => void deliverHit(res, 200, prepared, 'Miss from cloudfront', 'id3', undefined, Buffer.from('hi')));
    expect(miss.headers.age).toBeUndefined();
    expect(miss.headers).toMatchObject({ 'x-cache': 'Miss from cloudfront', 'x-amz-cf-id': 'id3' });
    expect(prepared.slice(-6)).toEqual(['age', '7', 'x-cache', 'Hit from cloudfront', 'x-amz-cf-id', 'id2']);
  });

  it("a generated error is CloudFront's HTML page, with the status text; HEAD gets no body", async () => {
    const get = await fetchWith((req, res) => void deliverGenerated(res, VIA, { status: 403, detail: 'Bad request.', requestId: 'id3', result: 'Error', close: false, rt, req }));
    expect(get).toMatchObject({ status: 403, statusText: 'Forbidden' });
    expect(get.body).toContain('Bad request.');
    expect(get.headers['x-cache']).toBe('Error from cloudfront');
    const head = await fetchWith((req, res) => void deliverGenerated(res, VIA, { status: 403, detail: 'Bad request.', requestId: 'id3', result: 'Error', close: false, rt, req }), 'HEAD');
    expect(head.body).toBe('');
  });

  it('a viewer-request function error is 503 FunctionExecutionError (§7.7)', async () => {
    let result = '';
    const r = await fetchWith((req, res) => void (result = deliverFunctionError(res, VIA, new FunctionExecutionError('boom', 'f'), 'id4', rt, req).result));
    expect(r.status).toBe(503);
    expect(result).toBe('FunctionExecutionError');
    expect(r.headers['x-cache']).toBe('FunctionExecutionError from cloudfront');
  });
});
