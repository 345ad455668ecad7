/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of the S3 server that counts the request
 * bytes each client sends (object bodies of PutObject and UploadPart): "bytes uploaded" is
 * measured on the wire, the same way for every tool.
 *
 * With `latencyMs`, every request is held that long before it goes on to the server: a round
 * trip to a real region (10-30 ms from a CI runner, 50-150 ms from a laptop), which loopback
 * does not have. Each request is logged (method, key, start and end), so that the order a tool
 * wrote in can be checked afterwards (see order-check.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  /** The object key (path-style URL without the bucket), '' for bucket-level requests. */
  key: string;
  /** Keys named in a DeleteObjects body. */
  deleteKeys?: string[];
  copy: boolean;
  /** When the proxy received the request and when it finished answering, ms since the proxy started. */
  start: number;
  end: number;
}

export interface CountingProxy {
  url: string;
  counts: { requests: number; bodyBytes: number; puts: number; copies: number; deletes: number };
  log: LoggedRequest[];
  /** Clears the counts and the log; with `latencyMs`, sets the hold of every later request. */
  reset(latencyMs?: number): void;
  close(): Promise<void>;
}

const fresh = () => ({ requests: 0, bodyBytes: 0, puts: 0, copies: 0, deletes: 0 });

/** The key of a path-style request, `/bucket/a/b.html?x` -> `a/b.html`. */
function keyOf(url: string): string {
  const path = url.split('?')[0]!;
  const slash = path.indexOf('/', 1);
  return slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
}

const decodeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export async function startCountingProxy(target: string, latencyMs = 0): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = fresh();
  const log: LoggedRequest[] = [];
  const t0 = performance.now();
  let hold = latencyMs;
  const server = http.createServer((req, res) => {
    counts.requests++;
    const copy = Boolean(req.headers['x-amz-copy-source']);
    const isDelete = req.method === 'DELETE' || (req.method === 'POST' && req.url?.includes('delete') === true);
    if (req.method === 'PUT') {
      if (copy) counts.copies++;
      else counts.puts++;
    }
    if (isDelete) counts.deletes++;
    const entry: LoggedRequest = { method: req.method ?? '', key: keyOf(req.url ?? '/'), copy, start: performance.now() - t0, end: 0 };
    log.push(entry);
    res.on('finish', () => (entry.end = performance.now() - t0));
    req.pause();
    const forward = () => {
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.destroy());
      let xml = '';
      req.on('data', (chunk: Buffer) => {
        if (req.method === 'PUT') counts.bodyBytes += chunk.length;
        if (isDelete) xml += chunk.toString();
      });
      req.on('end', () => {
        if (isDelete && req.method === 'POST') entry.deleteKeys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeXml(m[1]!));
      });
      req.pipe(out);
      req.resume();
    };
    // The hold stands for the way to the region; the answer's way back is in it too.
    if (hold > 0) setTimeout(forward, hold);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    log,
    reset(latency) {
      Object.assign(counts, fresh());
      log.length = 0;
      if (latency !== undefined) hold = latency;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
