/**
 * Cloudflare Pages' answer to a request, from Cloudflare's own asset server: `wrangler pages
 * dev` runs it in workerd with the folder's `_redirects` and `_headers`, as Pages does. It
 * listens on 127.0.0.1 only; nothing is fetched from the network (metrics off, no login; the
 * `Request.cf` lookup fails offline and falls back to a placeholder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface CloudflarePeer {
  url: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function cloudflarePeer(out: string): Promise<CloudflarePeer> {
  const port = await freePort();
  const wrangler = path.join(path.dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');
  // wrangler writes its state (.wrangler/) and logs under the working folder and home: both temporary.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-wrangler-'));
  const child: ChildProcess = spawn(
    process.execPath,
    // A compatibility date the bundled workerd supports (it refuses dates past its own build).
    [wrangler, 'pages', 'dev', out, '--port', String(port), '--ip', '127.0.0.1', '--compatibility-date=2026-04-01', '--inspector-port=0'],
    {
      cwd: home,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: home, XDG_CONFIG_HOME: home, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so closing ends workerd too.
      detached: true,
    },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    fs.rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (/Ready on|\[wrangler:info\] Ready/.test(log)) {
      try {
        await fetch(`${url}/`);
        return { url, close };
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw new Error(`wrangler pages dev did not start:\n${log}`);
}
