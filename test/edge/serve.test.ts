/** `edgeship serve` end to end: the CLI wiring, the access log (spec §9.5), the store of a target. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runServe } from '../../src/cli/serve.js';
import { ACCESS_LOG_HEADER } from '../../src/edge/access-log.js';
import { request, siteFixture } from './fixture.js';

describe('edgeship serve', () => {
  it('serves the local target, writes CloudFront standard log lines, stops when asked', async () => {
    const fx = await siteFixture({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] }, {}, { 'index.html': 'home' });
    const io = memoryIo(fx.dir);
    const logFile = path.join(fx.dir, 'logs/access.log');
    let stop = () => undefined as void;
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const running = runServe(fx.site, { port: '0', log: logFile }, io, until);
    // Start-up loads the edge on first use; wait for its banner (bounded), and fail with its error if it stopped.
    const failed = running.then((code) => new Error(`serve ended early with exit ${code}: ${io.stderr}`));
    for (let i = 0; i < 750 && !/viewer\s+http/.test(io.stdout); i++) {
      const early = await Promise.race([failed, new Promise((r) => setTimeout(r, 20))]);
      if (early instanceof Error) throw early;
    }
    const url = /viewer\s+(http:\/\/[\d.:]+)/.exec(io.stdout)![1]!;
    expect((await request(`${url}/`)).headers['x-cache']).toBe('Miss from cloudfront');
    expect((await request(`${url}/?q=1`, { headers: { 'user-agent': 'test agent' } })).headers['x-cache']).toBe('Hit from cloudfront');
    stop();
    expect(await running).toBe(0);
    const text = fs.readFileSync(logFile, 'utf8');
    expect(text.startsWith(ACCESS_LOG_HEADER)).toBe(true);
    const lines = text.trimEnd().split('\n').slice(2).map((l) => l.split('\t'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(33);
    expect(lines[0]![5]).toBe('GET');
    expect(lines[0]![7]).toBe('/');
    expect(lines[0]![8]).toBe('200');
    expect(lines[0]![13]).toBe('Miss');
    expect(lines[1]![13]).toBe('Hit');
    expect(lines[1]![10]).toBe('test%20agent');
    expect(lines[1]![11]).toBe('q=1');
    fx.cleanup();
  });

  it('an unknown target is a usage error naming the targets', async () => {
    const fx = await siteFixture({});
    await expect(runServe(fx.site, { target: 'nope' }, memoryIo(fx.dir), Promise.resolve())).rejects.toThrow(/no target "nope"/);
    fx.cleanup();
  });
});
