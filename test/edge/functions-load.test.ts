/**
 * The function time limit under load (issue 14 point 8): a function is judged by its own run,
 * so a viewer never gets 503 FunctionExecutionError because the host was busy. The stock
 * url-handler runs on every request of 50 keep-alive clients for a few seconds on loopback,
 * with brotli and gzip compressing misses on zlib's threads (a small cache keeps them missing).
 */
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/cli/init.js';
import { nextjsExport } from '../../src/config/presets/index.js';
import { startEdge, type RequestRecord, type RunningEdge } from '../../src/edge/index.js';
import { siteFixture, textOf, type SiteFixture } from './fixture.js';

const PAGES = 300;
const SECONDS = 5;

describe('the function time limit under a bounded load on loopback', () => {
  let fx: SiteFixture;
  let edge: RunningEdge;
  const statuses = new Map<number, number>();
  const figures: number[] = [];
  const reasons: string[] = [];
  beforeAll(async () => {
    const objects: Record<string, string> = {};
    for (let i = 0; i < PAGES; i++) objects[`docs/page-${i}/index.html`] = `<!doctype html><title>${i}</title>${textOf(24_000, `page ${i} `)}`;
    fx = await siteFixture(nextjsExport(), { 'edge/url-handler.js': presetFiles('nextjs-export', 'example.com', { layout: 'directory', trailingSlash: false })['edge/url-handler.js']! }, objects);
    const log = (record: RequestRecord) => {
      statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
      for (const run of record.functionRuns ?? []) {
        if (run.computeUtilization !== undefined) figures.push(run.computeUtilization);
      }
    };
    // 1 MB of cache for 300 pages of 24 KB: most requests miss and are compressed again.
    edge = await startEdge({ site: fx.site, store: fx.store, announce: false, cacheSize: 1024 * 1024, log, onFunctionError: (line) => reasons.push(line) });
  });
  afterAll(async () => {
    await edge.close();
    fx.cleanup();
  });

  it('50 keep-alive clients for 5 s through the url-handler: zero 503s, every run measured', async () => {
    const requests = Array.from({ length: PAGES }, (_, i) => ({ path: `/docs/page-${(i * 7) % PAGES}` }));
    const result = await autocannon({
      url: edge.url,
      connections: 50,
      duration: SECONDS,
      headers: { host: 'example.com', 'accept-encoding': 'br, gzip' },
      requests,
    });
    expect(result.errors).toBe(0);
    expect(result.requests.total).toBeGreaterThan(500);
    expect(reasons).toEqual([]);
    expect(statuses.get(503) ?? 0).toBe(0);
    expect([...statuses.keys()]).toEqual([200]);
    // Every request the edge answered ran the function once, with its figure logged (autocannon
    // stops counting at the deadline while the last responses are still on their way).
    expect(figures.length).toBe(statuses.get(200));
    expect(figures.length).toBeGreaterThanOrEqual(result.requests.total);
    expect(Math.max(...figures)).toBeLessThanOrEqual(100);
  }, 30_000);
});
