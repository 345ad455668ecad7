import { describe, expect, it } from 'vitest';
import { EdgeshipError, EXIT } from '../../src/errors.js';
import { dryRunStore, guardDeleteRatio, guardNoDeleteOfWrites, limitDeletes, protectWrites } from '../../src/deploy/guards.js';
import { emptyManifest } from '../../src/deploy/manifest.js';
import type { Plan, PlanAction } from '../../src/deploy/types.js';
import type { DeleteResult, ObjectStore, PutOptions } from '../../src/store/types.js';

function planWith(actions: Partial<PlanAction>[], remoteCount: number, live: Partial<Plan['live']> = {}): Plan {
  const deletes = actions.filter((a) => a.action === 'delete').length;
  return {
    deployId: 1,
    actions: actions.map((a) => ({ key: 'k', action: 'skip', reason: '', bytes: 0, ...a })),
    warnings: [],
    manifest: emptyManifest(),
    manifestChanged: true,
    remoteCount,
    live: { objects: remoteCount, deletes, pages: 0, pageDeletes: 0, ...live },
  };
}
const deletes = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `d${i}`, action: 'delete' as const }));
const refusal = (fn: () => unknown): EdgeshipError => {
  try {
    fn();
  } catch (e) {
    return e as EdgeshipError;
  }
  throw new Error('not refused');
};

describe('guardDeleteRatio', () => {
  it('lets a plan through at exactly the ratio', () => {
    const p = planWith(deletes(5), 10);
    expect(guardDeleteRatio(p, { maxDeleteRatio: 0.5 })).toBe(p);
  });
  it('refuses a plan above the ratio of live objects with exit 3, naming both numbers and the fix', () => {
    const e = refusal(() => guardDeleteRatio(planWith(deletes(6), 10, { pages: 4, pageDeletes: 1 }), { maxDeleteRatio: 0.5 }));
    expect(e).toBeInstanceOf(EdgeshipError);
    expect(e.code).toBe('DEPLOY_TOO_MANY_DELETES');
    expect(e.exitCode).toBe(EXIT.refused);
    expect(e.message).toMatch(/1 of 4 live pages \(25%\) and 6 of 10 live objects not kept by retention \(60%\).*maxDeleteRatio \(50%\)/);
    expect(e.hint).toMatch(/--force/);
  });
  it('refuses a plan that deletes most pages even when the objects ratio is low', () => {
    const e = refusal(() => guardDeleteRatio(planWith(deletes(3), 100, { pages: 4, pageDeletes: 3 }), { maxDeleteRatio: 0.5 }));
    expect(e.message).toMatch(/3 of 4 live pages \(75%\) and 3 of 100 live objects/);
  });
  it('lets --force through', () => {
    const p = planWith(deletes(10), 10, { pages: 10, pageDeletes: 10 });
    expect(guardDeleteRatio(p, { maxDeleteRatio: 0.5, force: true })).toBe(p);
  });
  it('allows a plan with no deletes of live objects (expired retained objects do not count)', () => {
    const p = planWith(deletes(8), 10, { deletes: 0 });
    expect(guardDeleteRatio(p, { maxDeleteRatio: 0 })).toBe(p);
  });
});

describe('guardNoDeleteOfWrites', () => {
  it('drops a delete of a key the same plan uploads, updates or keeps', () => {
    const p = planWith(
      [
        { key: 'a', action: 'upload' },
        { key: 'a', action: 'delete' },
        { key: 'b', action: 'skip' },
        { key: 'b', action: 'delete' },
        { key: 'c', action: 'delete' },
      ],
      3,
    );
    expect(guardNoDeleteOfWrites(p).actions.map((a) => `${a.action}:${a.key}`)).toEqual(['upload:a', 'skip:b', 'delete:c']);
  });
});

/** A store that records calls: the wrappers' tests need no more (the real stores run the contract suite). */
function recordingStore(): ObjectStore & { calls: string[] } {
  const calls: string[] = [];
  return {
    location: 'test://recording',
    calls,
    // eslint-disable-next-line require-yield
    async *list() {
      return;
    },
    head: async () => undefined,
    get: async () => undefined,
    conditionalWrites: async () => 'atomic' as const,
    async put(key: string, _b: unknown, _o?: PutOptions) {
      calls.push(`put ${key}`);
      return { etag: 'e' };
    },
    async copyMetadata(key: string) {
      calls.push(`copy ${key}`);
      return { etag: 'e' };
    },
    async deleteMany(keys: readonly string[]): Promise<DeleteResult> {
      calls.push(`delete ${keys.join(',')}`);
      return { deleted: [...keys], errors: [] };
    },
  };
}

describe('dryRunStore', () => {
  it('records writes and performs none', async () => {
    const inner = recordingStore();
    const dry = dryRunStore(inner);
    await dry.put('a', Buffer.from('x'), { cacheControl: 'no-store' });
    await dry.copyMetadata('b', { cacheControl: 'no-store' });
    expect(await dry.deleteMany(['c'])).toEqual({ deleted: ['c'], errors: [] });
    expect(inner.calls).toEqual([]);
    expect(dry.writes.map((w) => `${w.op} ${w.key}`)).toEqual(['put a', 'copyMetadata b', 'delete c']);
  });
});

describe('protectWrites', () => {
  it('never deletes a key written in the same run and reports it as a per-key error', async () => {
    const inner = recordingStore();
    const store = protectWrites(inner);
    await store.put('a', Buffer.from('x'));
    await store.copyMetadata('b', {});
    const result = await store.deleteMany(['a', 'b', 'c']);
    expect(inner.calls).toEqual(['put a', 'copy b', 'delete c']);
    expect(result.deleted).toEqual(['c']);
    expect(result.errors.map((e) => `${e.key}:${e.code}`)).toEqual(['a:DEPLOY_DELETE_PROTECTED', 'b:DEPLOY_DELETE_PROTECTED']);
  });
});

describe('limitDeletes', () => {
  it('fails a delete beyond the planned count, before calling the store', async () => {
    const inner = recordingStore();
    const store = limitDeletes(inner, 2);
    await store.deleteMany(['a']);
    await expect(store.deleteMany(['b', 'c'])).rejects.toMatchObject({ code: 'DEPLOY_TOO_MANY_DELETES', exitCode: EXIT.refused });
    expect(inner.calls).toEqual(['delete a']);
  });
});
