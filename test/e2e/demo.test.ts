import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A port no one listens on now (the demo binds it a moment later). */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run demo', () => {
  it('builds, optimizes, deploys and serves the example, then prints what to try; a second run uploads nothing', async () => {
    const port = await freePort();
    const run = () =>
      spawnSync(process.execPath, ['scripts/demo.mjs'], {
        cwd: repo,
        env: { ...process.env, DEMO_PORT: String(port), DEMO_EXIT_WHEN_READY: '1', CI: 'true' },
        encoding: 'utf8',
        timeout: 240_000,
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`The example site is live at http://127.0.0.1:${port}`);
    expect(first.stdout).toContain(`curl -sI http://127.0.0.1:${port}/about/`);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/uploaded\s+0 files/);
  }, 300_000);
});
