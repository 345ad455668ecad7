/**
 * A fault-injecting HTTP proxy on 127.0.0.1 for tests, in front of a real server (s3rver).
 *
 * ```ts
 * const proxy = await startFaultProxy({ target: s3.endpoint, seed: 7 });
 * proxy.inject({ method: 'PUT', times: 2, fault: { type: 'status', status: 500 } });
 * proxy.inject({ probability: 0.2, fault: { type: 'slowDown' } });
 * const store = new S3Store({ bucket: s3.bucket, endpoint: proxy.endpoint, forcePathStyle: true });
 * ...
 * proxy.stats.faults.status; // how many 500s it answered
 * await proxy.stop();
 * ```
 *
 * Requests are forwarded byte for byte with their own `Host` header, so SigV4 signatures made
 * for the proxy's address stay valid. Rules are checked in the order they were injected; the
 * first rule that matches (method, path, remaining `times`, and a draw of the seeded RNG
 * against `probability`) applies its fault. Randomness comes only from the seed, so a failing
 * run replays exactly.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Answer with this status and an S3 XML error body (default code `InternalError`). */
  | { type: 'status'; status: number; code?: string; message?: string }
  /** Answer with exactly this status and body (e.g. a hand-written S3 XML result). */
  | { type: 'respond'; status: number; body: string; contentType?: string }
  /** Answer 503 `SlowDown`, S3's throttling answer. */
  | { type: 'slowDown' }
  /** Reset the connection (TCP RST) without answering. */
  | { type: 'reset' }
  /** Wait, then forward the request as usual. */
  | { type: 'latency'; ms: number }
  /** Never answer: the request hangs until the client gives up (or the proxy stops). */
  | { type: 'stall' }
  /**
   * Forward the request with these bytes appended to its body (a corrupting middlebox), and
   * optionally drop response headers (e.g. `etag`, as some gateways do).
   */
  | { type: 'appendBody'; bytes: Buffer; dropResponseHeaders?: string[] };

export type FaultType = Fault['type'];

export interface FaultRule {
  /** HTTP method to match (any when left out). */
  method?: string;
  /** Matched against the request target (path and query): a string matches as a prefix. */
  path?: string | RegExp;
  /** Apply to this many matching requests, then stop matching. Default: every one. */
  times?: number;
  /** Chance in [0, 1] that a matching request gets the fault. Default 1. */
  probability?: number;
  fault: Fault;
}

export interface FaultProxyStats {
  /** Requests received. */
  requests: number;
  /** Requests passed on to the target (including delayed and altered ones). */
  forwarded: number;
  /** Faults applied, by type. */
  faults: Record<FaultType, number>;
  /** Statuses the target answered to forwarded requests, e.g. `{ 200: 12, 500: 1 }`. */
  upstream: Record<number, number>;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** `METHOD path -> fault type or "forward"`, in arrival order. */
  log: string[];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  stats: FaultProxyStats;
  /** Adds a rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
  /** Zeroes the counters and the log. */
  resetStats(): void;
  /** Closes the proxy and every connection through it. Safe to call twice. */
  stop(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, enough to make fault patterns replayable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emptyStats = (): FaultProxyStats => ({
  requests: 0,
  forwarded: 0,
  faults: { status: 0, respond: 0, slowDown: 0, reset: 0, latency: 0, stall: 0, appendBody: 0 },
  upstream: {},
  maxInFlight: 0,
  log: [],
});

export async function startFaultProxy(options: { target: string; seed?: number }): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`fault proxy targets loopback only, got ${options.target}`);
  const random = seededRandom(options.seed ?? 1);
  const rules: { rule: FaultRule; left: number }[] = [];
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true });
  let inFlight = 0;
  const proxy: FaultProxy = {
    endpoint: '',
    stats: emptyStats(),
    inject(rule) {
      const entry = { rule, left: rule.times ?? Infinity };
      rules.push(entry);
      return () => {
        const i = rules.indexOf(entry);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    clear() {
      rules.length = 0;
    },
    resetStats() {
      proxy.stats = emptyStats();
    },
    stop: async () => undefined,
  };

  const pick = (req: http.IncomingMessage): Fault | undefined => {
    for (const entry of rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== req.method) continue;
      const url = req.url ?? '';
      if (rule.path !== undefined && (typeof rule.path === 'string' ? !url.startsWith(rule.path) : !rule.path.test(url))) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      entry.left--;
      return rule.fault;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const stats = proxy.stats;
    stats.requests++;
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const fault = pick(req);
    stats.log.push(`${req.method} ${req.url} -> ${fault?.type ?? 'forward'}`);
    if (fault !== undefined) stats.faults[fault.type]++;
    switch (fault?.type) {
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'status':
        answerError(req, res, fault.status, fault.code ?? 'InternalError', fault.message ?? 'We encountered an internal error. Please try again.');
        return;
      case 'respond':
        req.resume();
        req.once('end', () => {
          res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/xml', 'content-length': String(Buffer.byteLength(fault.body)) });
          res.end(fault.body);
        });
        return;
      case 'slowDown':
        answerError(req, res, 503, 'SlowDown', 'Please reduce your request rate.');
        return;
      case 'latency':
        setTimeout(() => forward(req, res), fault.ms);
        return;
      case 'stall':
        req.resume(); // read the body, answer nothing
        return;
      case 'appendBody':
        void appendAndForward(req, res, fault.bytes, fault.dropResponseHeaders ?? []);
        return;
      default:
        forward(req, res);
    }
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer, dropResponseHeaders: string[] = []): void => {
    if (req.socket.destroyed) return;
    proxy.stats.forwarded++;
    const headers = { ...req.headers };
    if (body !== undefined) {
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (up) => {
      const status = up.statusCode ?? 0;
      proxy.stats.upstream[status] = (proxy.stats.upstream[status] ?? 0) + 1;
      const drop = new Set(dropResponseHeaders.map((h) => h.toLowerCase()));
      const raw: string[] = [];
      for (let i = 0; i < up.rawHeaders.length; i += 2) if (!drop.has(up.rawHeaders[i]!.toLowerCase())) raw.push(up.rawHeaders[i]!, up.rawHeaders[i + 1]!);
      res.writeHead(up.statusCode ?? 502, up.statusMessage, raw);
      up.pipe(res);
      up.once('error', () => res.destroy());
    });
    upstream.once('error', () => req.socket.destroy());
    if (body !== undefined) upstream.end(body);
    else req.pipe(upstream);
  };

  const appendAndForward = async (req: http.IncomingMessage, res: http.ServerResponse, extra: Buffer, drop: string[]): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    forward(req, res, Buffer.concat([...parts, extra]), drop);
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let stopping: Promise<void> | undefined;
  proxy.stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      agent.destroy();
    }));
  return proxy;
}

/** An S3-style XML error answer; the request body is read and dropped first. */
function answerError(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
  req.resume();
  req.once('end', () => {
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': req.method === 'HEAD' ? '0' : String(Buffer.byteLength(xml)) });
    res.end(req.method === 'HEAD' ? undefined : xml);
  });
}
