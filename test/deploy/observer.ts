/**
 * For the crash test: a pass-through proxy on 127.0.0.1 in front of s3rver that calls back
 * when each request has been answered, and a reader of s3rver's folder that tells, at that
 * moment, which objects exist and what the HTML objects say.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'parse5';

export interface Answered {
  method: string;
  url: string;
  status: number;
}

export async function startObserver(target: string, onAnswered: (a: Answered) => void) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
      up.pipe(res);
      // Answered by the server: its state now includes this request's effect.
      up.once('end', () => onAnswered({ method: req.method ?? '', url: req.url ?? '', status: up.statusCode ?? 0 }));
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

const SUFFIX = '._S3rver_object';

/** Keys present in a bucket of s3rver's filesystem store (plain ASCII keys, as the generated site has). */
export function s3rverKeys(dir: string, bucket: string): Map<string, string> {
  const root = path.join(dir, bucket);
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith(SUFFIX)) out.set(path.relative(root, abs).slice(0, -SUFFIX.length).split(path.sep).join('/'), abs);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

/** The site-absolute URLs an HTML document loads (`src` and `href`), as keys. */
export function referencedKeys(html: string): string[] {
  const refs: string[] = [];
  const visit = (node: { attrs?: { name: string; value: string }[]; childNodes?: unknown[] }) => {
    for (const a of node.attrs ?? []) if ((a.name === 'src' || a.name === 'href') && a.value.startsWith('/')) refs.push(a.value.slice(1));
    for (const c of node.childNodes ?? []) visit(c as typeof node);
  };
  visit(parse(html) as unknown as Parameters<typeof visit>[0]);
  return refs;
}

/** Every live HTML object whose references are not all live: `page -> missing asset`. */
export function brokenPages(objects: Map<string, string>): string[] {
  const broken: string[] = [];
  for (const [key, file] of objects) {
    if (!key.endsWith('.html')) continue;
    let html: string;
    try {
      html = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // removed between the listing and the read
    }
    for (const ref of referencedKeys(html)) if (!objects.has(ref)) broken.push(`${key} -> ${ref}`);
  }
  return broken;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs `edgeship deploy --target s3 --yes --json` (the real CLI, TypeScript entry through jiti's
 * loader) in `cwd`, and SIGKILLs it once `killWhen` says so. `watch` installs the observer's
 * callback for the run and removes it after.
 */
export async function runCliKilled(
  cwd: string,
  watch: (onAnswered: ((a: Answered) => void) | undefined) => void,
  killWhen: (a: Answered) => boolean,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const loader = pathToFileURL(path.join(repo, 'node_modules/jiti/lib/jiti-register.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(repo, 'src/cli/main.ts'), 'deploy', '--target', 's3', '--yes', '--json'], {
    cwd,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  watch((a) => {
    if (killWhen(a)) child.kill('SIGKILL');
  });
  const exit = await new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  watch(undefined);
  return { ...exit, stderr };
}
