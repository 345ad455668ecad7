/**
 * The viewer-facing `node:http` server around an EdgeHandler, with CloudFront's limits on
 * hostile input (spec/cloudfront.md §4.11): request line + headers over 20,480 bytes -> 413 and
 * the connection closed; slow clients time out without stalling others.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { EdgeHandler } from './server.js';

/** §4.11: request including path, query string and headers. */
export const MAX_REQUEST_HEADER_BYTES = 20_480;

export interface ViewerServerOptions {
  /** A client must send its whole header block within this many ms (slowloris guard). */
  headersTimeoutMs?: number;
  /** ...and its whole request within this many ms. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections close after this many ms (CloudFront's default keep-alive is 5 s). */
  keepAliveTimeoutMs?: number;
}

const RAW_413 = 'HTTP/1.1 413 Request Entity Too Large\r\nServer: CloudFront\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const RAW_400 = 'HTTP/1.1 400 Bad Request\r\nServer: CloudFront\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const RAW_408 = 'HTTP/1.1 408 Request Timeout\r\nServer: CloudFront\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

export function createViewerServer(handler: EdgeHandler, options: ViewerServerOptions = {}): http.Server {
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = http.createServer(
    {
      maxHeaderSize: MAX_REQUEST_HEADER_BYTES,
      headersTimeout,
      requestTimeout: Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
      noDelay: true,
    },
    handler.handle,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || socket.destroyed) {
      socket.destroy();
      return;
    }
    const raw = error.code === 'HPE_HEADER_OVERFLOW' ? RAW_413 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? RAW_408 : RAW_400;
    // Answer, then drop the connection whatever the client does (it may never read or close).
    socket.end(raw, () => socket.destroy());
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  return server;
}
