import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../memory-cache.js';
import { Collapser } from './origin-request.js';
import type { Outcome } from './types.js';

function entry(hitResult: 'Hit' | 'Error'): CacheEntry {
  const status = hitResult === 'Hit' ? 200 : 404;
  return { objectPath: '/a', storeKey: 'a', status, originStatus: status, hitResult, headers: {}, body: Buffer.from('x'), storedAt: 0, ttl: 60, staleWhileRevalidate: 0, staleIfError: undefined, maxTtl: 60, minTtl: 0 };
}

/** An origin request the test finishes when it wants, counting how often it was started. */
function gate(outcome: Outcome) {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const state = { started: 0, release, work: async () => {
    state.started++;
    await opened;
    return outcome;
  } };
  return state;
}

describe('request collapsing (§2.2)', () => {
  it('concurrent requests for one key share one origin request, and are answered as hits', async () => {
    const c = new Collapser();
    const g = gate({ entry: entry('Hit'), result: 'Miss' });
    const first = c.request('k', g.work);
    const second = c.request('k', g.work);
    const third = c.request('k', g.work);
    expect(c.waiting).toBe(2);
    g.release();
    expect((await first).result).toBe('Miss');
    expect(await second).toMatchObject({ result: 'Hit', fromCache: true });
    expect((await third).result).toBe('Hit');
    expect(g.started).toBe(1);
    expect(c.waiting).toBe(0);
  });

  it('a shared cached error stays an Error (§4.2)', async () => {
    const c = new Collapser();
    const g = gate({ entry: entry('Error'), result: 'Error' });
    const first = c.request('k', g.work);
    const second = c.request('k', g.work);
    g.release();
    await first;
    expect((await second).result).toBe('Error');
  });

  it('different keys do not collapse', async () => {
    const c = new Collapser();
    const g = gate({ entry: entry('Hit'), result: 'Miss' });
    const both = Promise.all([c.request('a', g.work), c.request('b', g.work)]);
    expect(c.waiting).toBe(0);
    g.release();
    await both;
    expect(g.started).toBe(2);
  });

  it('a streamed object cannot be shared: the waiting request reads it itself', async () => {
    const c = new Collapser();
    const g = gate({ entry: entry('Hit'), result: 'Miss', stream: { body: new PassThrough(), size: 1 } });
    const first = c.request('k', g.work);
    const second = c.request('k', g.work);
    g.release();
    await Promise.all([first, second]);
    expect(g.started).toBe(2);
  });

  it('stale-while-revalidate starts one background refresh per key (§2.3), and settle() waits for it', async () => {
    const c = new Collapser();
    const g = gate({ entry: entry('Hit'), result: 'Miss' });
    c.refreshInBackground('k', g.work);
    c.refreshInBackground('k', g.work);
    expect(g.started).toBe(1);
    let settled = false;
    const settling = c.settle().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    g.release();
    await settling;
    // The key is free again: the next refresh starts.
    c.refreshInBackground('k', g.work);
    expect(g.started).toBe(2);
    await c.settle();
  });
});
