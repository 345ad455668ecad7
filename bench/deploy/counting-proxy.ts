/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of the S3 server that counts the request
 * bytes each client sends (object bodies of PutObject and UploadPart): "bytes uploaded" is
 * measured on the wire, the same way for every tool.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  counts: { requests: number; bodyBytes: number; puts: number; copies: number; deletes: number };
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = { requests: 0, bodyBytes: 0, puts: 0, copies: 0, deletes: 0 };
  const server = http.createServer((req, res) => {
    counts.requests++;
    if (req.method === 'PUT') {
      if (req.headers['x-amz-copy-source']) counts.copies++;
      else counts.puts++;
    }
    if (req.method === 'DELETE' || (req.method === 'POST' && req.url?.includes('delete'))) counts.deletes++;
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      if (req.method === 'PUT') counts.bodyBytes += chunk.length;
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    reset() {
      Object.assign(counts, { requests: 0, bodyBytes: 0, puts: 0, copies: 0, deletes: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
