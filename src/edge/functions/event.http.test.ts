/**
 * The event helpers against a real node:http request on 127.0.0.1: raw header lines as node
 * hands them over, repeated headers, cookies, and a generated response written back.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfEvent, EdgeFunction } from '../contracts.js';
import { applyCfRequest, generatedResponse, viewerRequestEvent } from './event.js';
import { loadEdgeFunction } from './runtime.js';
import { tempDir } from './test-helpers.js';

const dir = tempDir();
let server: http.Server;
let base: string;
let fn: EdgeFunction;
let lastEvent: CfEvent | undefined;

beforeAll(async () => {
  const file = path.join(dir, 'fn.js');
  fs.writeFileSync(
    file,
    `function handler(event) {
      var r = event.request;
      if (r.uri === '/go') return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/there' } }, cookies: { s: { value: '1', attributes: 'Path=/' } }, body: 'moved' };
      r.headers['x-accepts'] = { value: String(r.headers.accept.multiValue ? r.headers.accept.multiValue.length : 1) };
      r.uri = r.uri + 'index.html';
      return r;
    }`,
  );
  fn = await loadEdgeFunction(file, { timeLimitMs: 5_000 });
  server = http.createServer((req, res) => {
    const event = viewerRequestEvent(req, { ip: req.socket.remoteAddress ?? '', requestId: 'r1' });
    lastEvent = event;
    fn.runViewerRequest(event).then(
      (result) => {
        if ('response' in result) {
          const out = generatedResponse(result.response);
          res.writeHead(out.status, out.statusMessage, out.headers);
          res.end(out.body);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(applyCfRequest(event, result.request)));
        }
      },
      (error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends raw header lines (fetch would merge repeated ones); an array of lines gets no automatic Host. */
function get(target: string, lines: [string, string][]): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${target}`, { method: 'GET', headers: [['Host', 'example.com'], ...lines].flat() as unknown as http.OutgoingHttpHeaders }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('event helpers over real HTTP (spec §7.3, §11 case 25)', () => {
  it('two Accept lines arrive as multiValue; the query string and cookies go on as sent', async () => {
    const res = await get('/docs/?b=2&a=%20', [
      ['Accept', 'a'],
      ['Accept', 'b'],
      ['Cookie', 'k=v;j=2'],
      ['Connection', 'keep-alive'],
    ]);
    expect(res.status).toBe(200);
    expect(lastEvent?.request.headers.accept).toEqual({ value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] });
    expect(lastEvent?.request.headers.connection).toBeUndefined();
    expect(lastEvent?.request.headers.host).toEqual({ value: 'example.com' });
    expect(lastEvent?.viewer.ip).toBe('127.0.0.1');
    const applied = JSON.parse(res.body) as { url: string; headers: Record<string, unknown> };
    expect(applied.url).toBe('/docs/index.html?b=2&a=%20');
    expect(applied.headers).toMatchObject({ accept: ['a', 'b'], cookie: 'k=v;j=2', 'x-accepts': '2' });
  });

  it('a generated response is written with its status, headers, Set-Cookie and body', async () => {
    const res = await get('/go', [['Accept', '*/*']]);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/there');
    expect(res.headers['set-cookie']).toEqual(['s=1; Path=/']);
    expect(res.body).toBe('moved');
  });
});
