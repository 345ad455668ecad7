/**
 * The whole loop as a new user runs it: `edgeship init` (a TypeScript config), a build in
 * `out/`, `edgeship deploy` to the local store, the local edge started, `edgeship audit`.
 * (Broken variants of the same site are in rules-on-edge.test.ts; this one test loads the
 * TypeScript config three times, which is the slow part, so it stays alone.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/load.js';
import { startEdge } from '../../src/edge/index.js';
import { openStore } from '../../src/store/open.js';
import { loadFunctions } from './fixture.js';
import { exampleSite } from './sites.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function newUser(files: Record<string, string | Buffer>): Promise<{ dir: string; url: string; keys: string[]; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-new-user-'));
  dirs.push(dir);
  // A Next.js project with `trailingSlash: true`, built, then `init` with no flags.
  fs.writeFileSync(path.join(dir, 'next.config.mjs'), "export default { output: 'export', trailingSlash: true };\n");
  for (const [key, body] of Object.entries(files)) {
    const file = path.join(dir, 'out', key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
  const init = memoryIo(dir);
  expect(await runCli(['init', '--domain', 'example.com'], init), init.stderr).toBe(0);
  expect(init.stdout).toContain('preset: nextjs-export; site: out/; pages at /page/');
  const deploy = memoryIo(dir);
  expect(await runCli(['deploy', '--yes'], deploy), deploy.stderr).toBe(0);
  const site = await loadConfig({ cwd: dir });
  const store = openStore(site.targets.local!.store);
  const edge = await startEdge({ site, store, port: 0, functions: await loadFunctions(site, store) });
  const keys: string[] = [];
  for await (const o of store.list()) keys.push(o.key);
  return { dir, url: edge.url, keys, stop: () => edge.close() };
}

function bodies(): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [key, file] of Object.entries(exampleSite().files)) out[key] = typeof file === 'string' || Buffer.isBuffer(file) ? file : file.body;
  return out;
}

describe('a new user audits the local edge', () => {
  it('init, deploy, serve, audit: the example site passes', async () => {
    const user = await newUser(bodies());
    try {
      const io = memoryIo(user.dir);
      const code = await runCli(['audit', '--target', 'local', '--concurrency', '4'], io);
      expect(io.stdout).toMatch(/0 errors, 0 warnings, 0 notes — PASS$/m);
      expect(code).toBe(0);
      // The deploy manifest under .edgeship/ is in the store, and was not requested (it would
      // have been a broken link: the edge never serves the reserved prefix).
      expect(user.keys.some((k) => k.startsWith('.edgeship/'))).toBe(true);
      expect(io.stdout).toMatch(/^(\d+) URLs checked/m);
    } finally {
      await user.stop();
    }
  });
});
