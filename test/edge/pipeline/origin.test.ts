/**
 * The origin stages alone (§0 steps 9-10): origin-fetch.ts and origin-response.ts over a real
 * FsStore, a real MemoryCache and an injected clock, without the HTTP handler.
 */
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { compileTable } from '../../../src/behavior/table.js';
import type { EdgeshipConfig } from '../../../src/config/schema.js';
import { normalizeAcceptEncoding } from '../../../src/edge/accept-encoding.js';
import { MemoryCache } from '../../../src/edge/memory-cache.js';
import { Origin } from '../../../src/edge/origin.js';
import { Behaviors } from '../../../src/edge/pipeline/behaviors.js';
import { requestKey } from '../../../src/edge/pipeline/cache-lookup.js';
import { fetchFromOrigin, refreshFromOrigin } from '../../../src/edge/pipeline/origin-fetch.js';
import type { Ctx, OriginDeps, Outcome } from '../../../src/edge/pipeline/types.js';
import { faultyStore, siteFixture, testClock, textOf, type SiteFixture } from '../fixture.js';

let fixture: SiteFixture | undefined;
afterEach(() => fixture?.cleanup());

async function stages(config: EdgeshipConfig, objects: Record<string, string>) {
  fixture = await siteFixture(config, {}, objects);
  const store = faultyStore(fixture.store);
  const behaviors = new Behaviors(compileTable(fixture.site));
  const clock = testClock();
  const pages: string[] = [];
  const deps: OriginDeps = {
    errors: fixture.site.errors,
    listBucket: true,
    cache: new MemoryCache(1 << 20),
    origin: new Origin({ store, listBucket: true }),
    clock,
    via: 'via',
    errorPage: async (ctx, page) => {
      pages.push(page);
      return fetchFromOrigin(deps, contextFor(page, ctx.headers['accept-encoding']), page.slice(1), false);
    },
  };
  const contextFor = (uri: string, acceptEncoding?: string): Ctx => {
    const rt = behaviors.forPath(uri);
    const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    const ae = normalizeAcceptEncoding(acceptEncoding, rt.behavior.policy, '1.1');
    const { key, objectPath } = requestKey(rt, 'GET', uri, '', (n) => headers[n], ae);
    const view = { method: 'GET', uri, query: '', hasQuery: false, rawHeaders: [], clientIp: '127.0.0.1', requestId: 'r1' };
    return { req: { httpVersion: '1.1' } as IncomingMessage, res: undefined as never, requestId: 'r1', rt, view, headers, ae, key, objectPath, record: {} };
  };
  return { deps, store, clock, pages, contextFor };
}

const PAGE = textOf(2_000);

describe('origin response (§0 step 10)', () => {
  it('a 200 is a Miss, compressed for a br viewer, and stored with its hit header list', async () => {
    const s = await stages({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }] }, { 'a.html': PAGE });
    const ctx = s.contextFor('/a.html', 'br');
    const out = await fetchFromOrigin(s.deps, ctx, 'a.html', true);
    expect(out.result).toBe('Miss');
    expect(out.entry.headers['content-encoding']).toBe('br');
    expect(out.entry.body.length).toBeLessThan(PAGE.length);
    const stored = s.deps.cache.get(ctx.key);
    expect(stored).toBe(out.entry);
    expect(stored?.prepared).toEqual(expect.arrayContaining(['content-encoding', 'br', 'content-length', String(out.entry.body.length), 'via', 'via']));
  });

  it('a behavior with caching disabled stores nothing (§2.7)', async () => {
    const s = await stages({ behaviors: [{ path: '*', cache: 'no-store' }] }, { 'a.html': PAGE });
    const ctx = s.contextFor('/a.html');
    expect((await fetchFromOrigin(s.deps, ctx, 'a.html', true)).result).toBe('Miss');
    expect(s.deps.cache.size).toBe(0);
  });

  it.each([
    ['no custom error response: the origin 404, cached 10 s', [], 404, 10, []],
    ['a custom error page with its response code (§5.3)', [{ status: 404, page: '/404.html', responseStatus: 200, ttl: 30 }], 200, 30, ['/404.html']],
  ] as const)('a missing key (s3:ListBucket allowed): %s', async (_name, errors, status, ttl, pages) => {
    const s = await stages({ behaviors: [{ path: '*', cache: { edge: '5m', browser: 0 } }], errors: [...errors] } as EdgeshipConfig, { '404.html': 'not here' });
    const ctx = s.contextFor('/gone.html');
    const out: Outcome = await fetchFromOrigin(s.deps, ctx, 'gone.html', true);
    expect(out).toMatchObject({ result: 'Error', entry: { status, originStatus: 404, ttl, hitResult: 'Error' } });
    expect(s.pages).toEqual(pages);
    if (pages.length) expect(out.entry.body.toString()).toBe('not here');
    expect(s.deps.cache.get(ctx.key)).toBe(out.entry);
  });
});

describe('origin request on an expired entry (§2.4, §2.3, §9.6)', () => {
  it('a 304 from the origin is a RefreshHit that keeps the representation and restarts the TTL', async () => {
    const s = await stages({ behaviors: [{ path: '*', cache: { edge: '1m', browser: 0 } }] }, { 'a.html': PAGE });
    const ctx = s.contextFor('/a.html', 'br');
    const first = await fetchFromOrigin(s.deps, ctx, 'a.html', true);
    s.clock.advance(120);
    const out = await refreshFromOrigin(s.deps, ctx, first.entry, 'a.html', true);
    expect(out.result).toBe('RefreshHit');
    expect(out.entry.body).toBe(first.entry.body);
    expect(out.entry.storedAt).toBe(s.clock());
    expect(s.deps.cache.get(ctx.key)?.prepared).toBeDefined();
  });

  it('an unreachable origin serves the stale copy (stale-if-error); without one it is a 502 OriginConnectError', async () => {
    const s = await stages({ behaviors: [{ path: '*', cache: { edge: '1m', browser: 0, staleIfError: '1h' } }] }, { 'a.html': PAGE });
    const ctx = s.contextFor('/a.html');
    const first = await fetchFromOrigin(s.deps, ctx, 'a.html', true);
    s.clock.advance(120);
    s.store.mode = 'fail';
    const stale = await refreshFromOrigin(s.deps, ctx, first.entry, 'a.html', true);
    expect(stale).toMatchObject({ result: 'Hit', fromCache: true });
    expect(stale.entry.errorHoldUntil).toBe(s.clock() + 10_000);
    const other = s.contextFor('/b.html');
    expect(await fetchFromOrigin(s.deps, other, 'b.html', true)).toMatchObject({ result: 'Error', detailed: 'OriginConnectError', entry: { status: 502 } });
  });
});
