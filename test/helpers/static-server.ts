/**
 * A plain static file server on 127.0.0.1 for browser tests of a built folder, resolving clean
 * URLs as the framework presets do (`/about` -> `about.html` or `about/index.html`).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contentTypeFor } from '../../src/behavior/headers.js';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

function resolveFile(root: string, urlPath: string): string | undefined {
  const file = path.join(root, decodeURIComponent(urlPath));
  if (!file.startsWith(root)) return undefined;
  for (const candidate of [file, `${file}.html`, path.join(file, 'index.html')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** @param imageDelayMs answer non-HTML files this late, so the first layout happens without them (as on a slow network). */
export async function serveFolder(root: string, options: { imageDelayMs?: number } = {}): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const file = resolveFile(root, new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const send = () => res.writeHead(200, { 'content-type': contentTypeFor(file) }).end(fs.readFileSync(file));
    if (file.endsWith('.html') || !options.imageDelayMs) send();
    else setTimeout(send, options.imageDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
