/**
 * The HTTP adapter of audit: one GET, redirects not followed, the body read (bounded) and
 * decoded. It only ever connects to the audited origin; `host` changes the `Host` header (and
 * the TLS server name) sent to that same origin, which is how the www-redirect is probed.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  /** The body as sent. */
  raw: Buffer;
  /** The body after undoing `content-encoding`; `undefined` when it could not be decoded. */
  decoded?: Buffer;
  error?: string;
}

export interface GetOptions {
  /** `Host` header to send instead of the URL's. */
  host?: string;
  /** What the client says it accepts; audit asks like a browser over HTTPS does. */
  acceptEncoding?: string;
  timeoutMs?: number;
  /** Bodies larger than this are cut off (and flagged as an error). */
  maxBytes?: number;
}

export type Fetcher = (url: string, options?: GetOptions) => Promise<HttpResult>;

export const ACCEPT_ENCODING = 'br, gzip';
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** A fetcher with its own keep-alive agents; `close()` ends the sockets. */
export function createFetcher(userAgent: string, maxSockets: number): { fetch: Fetcher; close(): void } {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  const fetch: Fetcher = (url, options = {}) =>
    new Promise((resolve) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      const headers: Record<string, string> = {
        'user-agent': userAgent,
        accept: '*/*',
        'accept-encoding': options.acceptEncoding ?? ACCEPT_ENCODING,
      };
      if (options.host) headers.host = options.host;
      const request = (isHttps ? https : http).request(
        target,
        {
          method: 'GET',
          headers,
          agent: isHttps ? agents['https:'] : agents['http:'],
          timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          ...(isHttps && options.host ? { servername: options.host.replace(/:\d+$/, '') } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
          let cut = false;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > max) {
              cut = true;
              response.destroy();
              return;
            }
            chunks.push(chunk);
          });
          const done = (error?: string) => {
            const raw = Buffer.concat(chunks);
            const flat = flattenHeaders(response.headers);
            resolve({ status: response.statusCode ?? 0, headers: flat, raw, decoded: cut ? undefined : decode(raw, flat['content-encoding']), error });
          };
          response.on('end', () => done());
          response.on('close', () => {
            if (cut) done(`body larger than ${max} bytes; read stopped`);
            else if (!response.complete) done('connection closed before the body ended');
          });
          response.on('error', (error) => done(error.message));
        },
      );
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        resolve({ status: 0, headers: {}, raw: Buffer.alloc(0), error: message });
      };
      request.on('response', () => {
        settled = true;
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ? `${error.code}: ${error.message}` : error.message));
      request.end();
    });
  return {
    fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body with its `content-encoding` undone, or `undefined` when it does not decode. */
export function decode(raw: Buffer, encoding: string | undefined): Buffer | undefined {
  const codings = (encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  let body = raw;
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'br') body = zlib.brotliDecompressSync(body);
      else if (coding === 'gzip' || coding === 'x-gzip') body = zlib.gunzipSync(body);
      else if (coding === 'deflate') body = zlib.inflateSync(body);
      else return undefined;
    }
  } catch {
    return undefined;
  }
  return body;
}
