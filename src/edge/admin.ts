/**
 * The admin endpoint `edgeship deploy` and `edgeship invalidate` use to reach a running edge
 * (contract in contracts.ts): bound to 127.0.0.1 only, guarded by a bearer token kept in a file
 * readable by its owner only, announced in `<rootDir>/.edgeship/edge.json`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EdgeshipError } from '../errors.js';
import { EDGE_DISCOVERY_FILE, EDGE_REGISTRY_DIR, edgeStateDir, type EdgeDiscovery, type InvalidationRequest } from './contracts.js';

export interface AdminOptions {
  /** Applies an invalidation everywhere it must go (every worker); resolves to the number of cached objects removed. */
  invalidate(paths: string[]): Promise<number>;
  token: string;
  port?: number;
}

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export async function startAdmin(options: AdminOptions): Promise<AdminServer> {
  let counter = 0;
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7).trim(), options.token)) {
      req.resume();
      reply(res, 401, { error: 'missing or wrong bearer token (see the tokenFile named in .edgeship/edge.json)' });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/invalidate') {
      req.resume();
      reply(res, 404, { error: 'POST /invalidate is the only admin route' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply(res, 413, { error: 'request body over 1 MB' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let body: InvalidationRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as InvalidationRequest;
      } catch {
        reply(res, 400, { error: 'the body is not JSON; send {"paths": ["/index.html"]}' });
        return;
      }
      if (!body || !Array.isArray(body.paths) || !body.paths.every((p) => typeof p === 'string')) {
        reply(res, 400, { error: 'paths must be an array of strings' });
        return;
      }
      options
        .invalidate(body.paths)
        .then((invalidated) => reply(res, 200, { id: `I${Date.now().toString(36).toUpperCase()}${(++counter).toString(36).toUpperCase()}`, invalidated }))
        .catch((error: unknown) => reply(res, error instanceof EdgeshipError ? 400 : 500, { error: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('hex');
}

/**
 * Registers a running edge: its own token file (0600) and record under `.edgeship/edges/`, and
 * `edge.json` pointing at it. Returns a function that removes its registration and, when
 * `edge.json` still names it, points `edge.json` at another live edge (or removes it).
 */
export function announce(rootDir: string, discovery: Omit<EdgeDiscovery, 'tokenFile'>, token: string): () => void {
  const dir = path.join(edgeStateDir(rootDir), EDGE_REGISTRY_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const id = `${discovery.pid}-${new URL(discovery.adminUrl).port}`;
  const tokenFile = path.join(dir, `${id}.token`);
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(tokenFile, 0o600);
  const record: EdgeDiscovery = { ...discovery, tokenFile };
  const own = path.join(dir, `${id}.json`);
  fs.writeFileSync(own, `${JSON.stringify(record, null, 2)}\n`);
  const latest = path.join(edgeStateDir(rootDir), EDGE_DISCOVERY_FILE);
  fs.writeFileSync(latest, `${JSON.stringify(record, null, 2)}\n`);
  return () => {
    fs.rmSync(own, { force: true });
    fs.rmSync(tokenFile, { force: true });
    try {
      const current = JSON.parse(fs.readFileSync(latest, 'utf8')) as EdgeDiscovery;
      if (current.adminUrl !== record.adminUrl || current.pid !== record.pid) return;
      const other = registeredEdges(rootDir).live[0];
      if (other) fs.writeFileSync(latest, `${JSON.stringify(other, null, 2)}\n`);
      else fs.rmSync(latest, { force: true });
    } catch {
      // Already gone.
    }
  };
}

/** The registered edges whose process runs, and the registrations of those that no longer do (removed). */
export function registeredEdges(rootDir: string): { live: EdgeDiscovery[]; removed: EdgeDiscovery[] } {
  const dir = path.join(edgeStateDir(rootDir), EDGE_REGISTRY_DIR);
  const live: EdgeDiscovery[] = [];
  const removed: EdgeDiscovery[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return { live, removed };
  }
  for (const name of names.sort()) {
    let edge: EdgeDiscovery;
    try {
      edge = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as EdgeDiscovery;
    } catch {
      continue; // being written, or removed meanwhile
    }
    if (Number.isInteger(edge.pid) && processRuns(edge.pid)) {
      live.push(edge);
      continue;
    }
    // An edge killed without its cleanup: its registration goes.
    fs.rmSync(path.join(dir, name), { force: true });
    fs.rmSync(path.join(dir, name.replace(/\.json$/, '.token')), { force: true });
    removed.push(edge);
  }
  return { live, removed };
}

export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
