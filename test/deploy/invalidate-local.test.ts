import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EDGE_DISCOVERY_FILE, EDGE_TOKEN_FILE, INVALIDATION_LOG_FILE, type EdgeDiscovery } from '../../src/edge/contracts.js';
import { invalidateLocal, type InvalidationRecord } from '../../src/deploy/invalidate-local.js';

/** A tiny edge admin endpoint on 127.0.0.1 implementing `POST /invalidate` as src/edge/contracts.ts describes it. */
async function adminServer(token: string) {
  const received: { auth?: string; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/invalidate') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      const parsed = JSON.parse(body) as { paths: string[] };
      received.push({ auth: req.headers.authorization, body: parsed });
      if (parsed.paths.some((p) => !p.startsWith('/'))) return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"paths must start with /"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `I${received.length}`, invalidated: parsed.paths.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let root: string;
let admin: Awaited<ReturnType<typeof adminServer>>;
const STORE = 'fs:/srv/store';
const stateDir = () => path.join(root, '.edgeship');
const records = (): InvalidationRecord[] =>
  fs.readFileSync(path.join(stateDir(), INVALIDATION_LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as InvalidationRecord);
function discover(edge: Partial<EdgeDiscovery> = {}) {
  fs.mkdirSync(stateDir(), { recursive: true });
  const tokenFile = path.join(stateDir(), EDGE_TOKEN_FILE);
  fs.writeFileSync(tokenFile, 'sekret\n', { mode: 0o600 });
  const d: EdgeDiscovery = { pid: process.pid, url: 'http://127.0.0.1:1', adminUrl: admin.url, storeLocation: STORE, tokenFile, ...edge };
  fs.writeFileSync(path.join(stateDir(), EDGE_DISCOVERY_FILE), JSON.stringify(d));
}
const opts = () => ({ rootDir: root, storeLocation: STORE, callerReference: 'ref-1', now: () => new Date('2026-03-01T00:00:00Z') });

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-inv-'));
  admin = await adminServer('sekret');
});
afterEach(async () => {
  await admin.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('invalidateLocal', () => {
  it('delivers to the running edge of the same store with the bearer token, and records it', async () => {
    discover();
    const r = await invalidateLocal(['/about', '/about/'], opts());
    expect(r).toMatchObject({ delivered: true, id: 'I1' });
    expect(admin.received).toEqual([{ auth: 'Bearer sekret', body: { paths: ['/about', '/about/'], callerReference: 'ref-1' } }]);
    expect(records()).toEqual([{ at: '2026-03-01T00:00:00.000Z', storeLocation: STORE, paths: ['/about', '/about/'], callerReference: 'ref-1', delivered: true, id: 'I1', edges: 1 }]);
  });

  it('only records when no edge is running', async () => {
    const r = await invalidateLocal(['/x'], opts());
    expect(r).toMatchObject({ delivered: false, reason: 'no local edge is running' });
    expect(records()).toHaveLength(1);
    expect(admin.received).toEqual([]);
  });

  it('only records when the discovery file names a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    discover({ pid: dead });
    const r = await invalidateLocal(['/x'], opts());
    expect(r.delivered).toBe(false);
    expect(r.reason).toMatch(/not running/);
    expect(admin.received).toEqual([]);
  });

  it('only records when the running edge serves another store', async () => {
    discover({ storeLocation: 'fs:/elsewhere' });
    const r = await invalidateLocal(['/x'], opts());
    expect(r.reason).toMatch(/serves fs:\/elsewhere/);
    expect(admin.received).toEqual([]);
  });

  it('fails with the edge error on a refused path, and still records it', async () => {
    discover();
    await expect(invalidateLocal(['nope'], opts())).rejects.toMatchObject({ code: 'INVALIDATE_FAILED', exitCode: 2, message: expect.stringMatching(/400.*paths must start/) });
    expect(records()).toMatchObject([{ delivered: false, paths: ['nope'] }]);
  });

  it('never sends the token to an admin URL off the loopback', async () => {
    discover({ adminUrl: 'http://example.invalid:8081' });
    await expect(invalidateLocal(['/x'], opts())).rejects.toMatchObject({ message: expect.stringMatching(/not a loopback address/) });
  });
});
