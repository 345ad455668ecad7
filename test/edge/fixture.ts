/**
 * Test fixtures for the edge: a site on disk (config + function files), an FsStore filled as
 * `edgeship deploy` fills it (headers from `compileTable(site).objectHeaders(key)`), and a
 * clock the tests move instead of sleeping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileTable } from '../../src/behavior/table.js';
import { resolveConfig } from '../../src/config/load.js';
import type { SiteModel } from '../../src/config/model.js';
import type { EdgeshipConfig } from '../../src/config/schema.js';
import { FsStore } from '../../src/store/fs-store.js';
import type { ObjectStore, PutOptions } from '../../src/store/types.js';

export interface TestClock {
  (): number;
  advance(seconds: number): void;
  set(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 0, 1)): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (seconds) => {
    now += seconds * 1000;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

export interface SiteFixture {
  dir: string;
  site: SiteModel;
  store: FsStore;
  /** Writes one object with the headers deploy would store, plus overrides. */
  put(key: string, body: string | Buffer, overrides?: PutOptions): Promise<void>;
  cleanup(): void;
}

/** A temp site: `files` are written under the root first (function files), then the config is resolved. */
export async function siteFixture(config: EdgeshipConfig, files: Record<string, string> = {}, objects: Record<string, string | Buffer> = {}): Promise<SiteFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-edge-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const site = resolveConfig(config, dir);
  const store = new FsStore(path.join(dir, '.edgeship/store'), { fsync: false });
  const table = compileTable(site);
  const put = async (key: string, body: string | Buffer, overrides: PutOptions = {}) => {
    const { cacheControl, contentType } = table.objectHeaders(key);
    await store.put(key, Buffer.isBuffer(body) ? body : Buffer.from(body), { cacheControl, contentType, ...overrides });
  };
  for (const [key, body] of Object.entries(objects)) await put(key, body);
  return { dir, site, store, put, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A store whose every call can be made to fail (the origin unreachable, §9.6) or hang. */
export function faultyStore(inner: ObjectStore): ObjectStore & { mode: 'ok' | 'fail' | 'hang'; gets: number; heads: number; pause(): void; resume(): void } {
  let paused: Promise<void> | undefined;
  let release = () => undefined as void;
  const wrapper = {
    mode: 'ok' as 'ok' | 'fail' | 'hang',
    gets: 0,
    heads: 0,
    /** Holds every origin call until `resume()` (to make concurrent misses overlap). */
    pause() {
      paused = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    resume() {
      paused = undefined;
      release();
    },
    location: inner.location,
    list: (prefix?: string) => inner.list(prefix),
    async head(key: string) {
      wrapper.heads++;
      await gate();
      return inner.head(key);
    },
    async get(key: string, options?: Parameters<ObjectStore['get']>[1]) {
      wrapper.gets++;
      await gate();
      return inner.get(key, options);
    },
    put: inner.put.bind(inner),
    copyMetadata: inner.copyMetadata.bind(inner),
    deleteMany: inner.deleteMany.bind(inner),
    conditionalWrites: () => inner.conditionalWrites(),
  };
  const gate = async () => {
    if (paused) await paused;
    if (wrapper.mode === 'fail') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    if (wrapper.mode === 'hang') await new Promise(() => undefined);
  };
  return wrapper;
}

/** A plain text body of `n` bytes (compressible). */
export function textOf(n: number, seed = 'edgeship '): string {
  return seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request over real HTTP on loopback, no automatic decompression. */
export async function request(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends bytes as they are on a fresh TCP connection; resolves with everything received until the server closes or `idleMs` pass. */
export async function rawRequest(url: string, text: string | Buffer, idleMs = 300): Promise<{ text: string; closed: boolean }> {
  const net = await import('node:net');
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: out, closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), idleMs);
    };
    socket.on('connect', () => {
      socket.write(text);
      arm();
    });
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      arm();
    });
    socket.on('close', () => finish(true));
    socket.on('error', (e) => (out ? finish(true) : reject(e)));
  });
}
