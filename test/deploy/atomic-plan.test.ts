/** Atomic mode's pure core: key layout, retention, rollback choice, and the plan on top of the in-place diff. */
import { describe, expect, it } from 'vitest';
import { compileTable } from '../../src/behavior/table.js';
import { classify } from '../../src/deploy/classify.js';
import { emptyManifest } from '../../src/deploy/manifest.js';
import { atomicLayout } from '../../src/deploy/atomic/layout.js';
import { availableDeploy, emptyHistory, keptDeploys, pointersFrom, previousDeploy, type DeployHistory, type DeployRecord, type Pointers } from '../../src/deploy/atomic/history.js';
import { deployIdOfKey, keysOfDeploy, previewHost } from '../../src/deploy/atomic/keys.js';
import { planAtomic, type AtomicPlanInput } from '../../src/deploy/atomic/plan.js';
import type { Manifest } from '../../src/deploy/types.js';
import { file, remote } from './fixtures.js';

// The nextjs-export shape: hashed chunks without a function, pages and payloads through the url-handler.
const table = compileTable({
  behaviors: [
    { path: '_next/static/*', cache: 'immutable', compress: true },
    { path: '*', cache: { edge: 300, browser: 0 }, functions: { viewerRequest: '/site/edge/url-handler.js' }, compress: true },
  ],
  headersPolicies: {},
});
const NOW = new Date('2026-03-01T00:00:00.000Z');
const classesOf = (files: ReturnType<typeof file>[]) => new Map(files.map((f) => [f.key, classify(table, f.key)]));
const rec = (id: number, extra: Partial<DeployRecord> = {}): DeployRecord => ({ id, at: NOW.toISOString(), files: 1, bytes: 1, digest: `d${id}`, shared: [], ...extra });
const history = (...deploys: DeployRecord[]): DeployHistory => ({ version: 1, deploys });

describe('keys and pointers', () => {
  it.each([
    ['_deploys/7/about.html', 7],
    ['_deploys/12/index.html', 12],
    ['_next/static/a.js', undefined],
    ['_deploys/x/a', undefined],
  ])('deployIdOfKey(%s) = %s', (key, id) => expect(deployIdOfKey(key)).toBe(id));

  it('reads the live pointer and the preview hosts from the KeyValueStore keys, ignoring the rest', () => {
    expect(pointersFrom({ 'es:live': '4', 'es:host:a.preview.example.com': '6', 'es:r:/old': '/new', greeting: 'hi', 'es:host:bad': 'x' })).toEqual({ live: 4, hosts: { 'a.preview.example.com': 6 } });
  });

  it('a preview name must be a DNS label, and a preview domain must be configured', () => {
    expect(previewHost('feature-a', 'preview.example.com')).toBe('feature-a.preview.example.com');
    expect(() => previewHost('Feature/A', 'preview.example.com')).toThrow(/not a preview name/);
    expect(() => previewHost('a', undefined)).toThrow(/no deploy.previewDomain/);
  });
});

describe('layout: what the url-handler rewrites goes under the prefix, the rest stays shared', () => {
  const files = [file('index.html'), file('about.txt'), file('_next/static/chunks/a-1234abcd.js'), file('404.html')];
  it('live deploy: pages and payloads prefixed; hashed chunks and the error page at their own keys', () => {
    const layout = atomicLayout(files, classesOf(files), table, 3, ['404.html'], true);
    expect(layout.files.map((f) => f.key).sort()).toEqual(['404.html', '_deploys/3/404.html', '_deploys/3/about.txt', '_deploys/3/index.html', '_next/static/chunks/a-1234abcd.js']);
    expect(layout.shared.sort()).toEqual(['404.html', '_next/static/chunks/a-1234abcd.js']);
  });
  it('a preview leaves the live error page alone', () => {
    expect(atomicLayout(files, classesOf(files), table, 3, ['404.html'], false).shared).toEqual(['_next/static/chunks/a-1234abcd.js']);
  });
  it('refuses a build file under _deploys/', () => {
    const bad = [file('_deploys/1/x.html')];
    expect(() => atomicLayout(bad, classesOf(bad), table, 2, [], true)).toThrow(/under _deploys\//);
  });
});

describe('retention and rollback choice', () => {
  const h = history(rec(1), rec(2), rec(3, { preview: 'a' }), rec(4), rec(5), rec(6));
  it.each<{ name: string; pointers: Pointers; retain: number; kept: number[] }>([
    { name: 'the live deploy and retainDeploys before it', pointers: { live: 6, hosts: {} }, retain: 2, kept: [4, 5, 6] },
    { name: 'a rolled-back live pointer keeps its deploy', pointers: { live: 2, hosts: {} }, retain: 1, kept: [2, 5, 6] },
    { name: 'a preview pointer keeps its deploy', pointers: { live: 6, hosts: { 'a.p.example.com': 3 } }, retain: 0, kept: [3, 6] },
    { name: 'retainDeploys 0: only the pointers and the newest', pointers: { live: 6, hosts: {} }, retain: 0, kept: [6] },
  ])('$name', ({ pointers, retain, kept }) => {
    expect([...keptDeploys(h, pointers, retain)].sort((a, b) => a - b)).toEqual(kept);
  });
  it('--previous is the newest live deploy older than the live one (previews skipped)', () => {
    expect(previousDeploy(h, 4)?.id).toBe(2);
    expect(previousDeploy(h, 1)).toBeUndefined();
  });
  it('a pruned id is refused naming the oldest available; an unknown one names the range', () => {
    const kept = history(rec(4), rec(5));
    expect(() => availableDeploy(kept, 2)).toThrow(/deploy #2 was pruned: its files are gone; the oldest available is #4/);
    expect(() => availableDeploy(kept, 9)).toThrow(/there is no deploy #9 \(deploys #4 to #5 are available\)/);
    expect(() => availableDeploy(history(rec(3, { preview: 'a' }), rec(4)), 1)).toThrow(/the oldest available is #4/);
    expect(availableDeploy(kept, 5).id).toBe(5);
  });
});

describe('planAtomic', () => {
  const v1 = [file('index.html', 'home v1'), file('_next/static/chunks/a-1111aaaa.js')];
  const input = (over: Partial<AtomicPlanInput>): AtomicPlanInput => ({
    files: v1,
    classes: classesOf(v1),
    table,
    remote: [],
    manifest: emptyManifest(),
    history: emptyHistory(),
    pointers: { hosts: {} },
    now: NOW,
    retainSeconds: 0,
    retainDeploys: 1,
    errorPages: [],
    ...over,
  });

  it('a first deploy uploads the chunk at its own key and the page under _deploys/1/', () => {
    const p = planAtomic(input({}));
    expect(p.record).toMatchObject({ id: 1, files: 2, shared: ['_next/static/chunks/a-1111aaaa.js'] });
    expect(p.plan.actions.map((a) => `${a.action} ${a.key}`).sort()).toEqual(['upload _deploys/1/index.html', 'upload _next/static/chunks/a-1111aaaa.js']);
  });

  it('the next build uploads its pages again but not the shared chunk; an old deploy out of the window is pruned, the kept one stays', () => {
    const v3 = [file('index.html', 'home v3'), file('_next/static/chunks/a-1111aaaa.js')];
    const manifest: Manifest = planAtomic(input({})).plan.manifest;
    manifest.deploys = [{ id: 1, at: '' }, { id: 2, at: '' }];
    const p = planAtomic(
      input({
        files: v3,
        classes: classesOf(v3),
        manifest,
        history: history(rec(1, { shared: ['_next/static/chunks/a-1111aaaa.js'] }), rec(2)),
        pointers: { live: 2, hosts: {} },
        remote: [remote('_next/static/chunks/a-1111aaaa.js'), remote('_deploys/1/index.html', 'home v1'), remote('_deploys/2/index.html', 'home v2')],
      }),
    );
    const byKey = Object.fromEntries(p.plan.actions.map((a) => [a.key, a.action]));
    expect(byKey).toEqual({ '_deploys/3/index.html': 'upload', '_next/static/chunks/a-1111aaaa.js': 'skip', '_deploys/1/index.html': 'delete' });
    expect(p.history.deploys.map((d) => d.id)).toEqual([2, 3]);
  });

  it('a chunk that left the build stays while a kept deploy (a preview) serves it, whatever the retention time', () => {
    const v2 = [file('index.html', 'home v2'), file('_next/static/chunks/b-2222bbbb.js')];
    const p = planAtomic(
      input({
        files: v2,
        classes: classesOf(v2),
        history: history(rec(1, { preview: 'a', shared: ['_next/static/chunks/a-1111aaaa.js'] })),
        pointers: { hosts: { 'a.preview.example.com': 1 } },
        remote: [remote('_next/static/chunks/a-1111aaaa.js')],
        manifest: { version: 1, deploys: [{ id: 1, at: '' }], entries: {} },
        retainDeploys: 0,
      }),
    );
    expect(p.plan.actions.find((a) => a.key === '_next/static/chunks/a-1111aaaa.js')).toMatchObject({ action: 'retain', reason: /shared with a deploy that is kept/ });
  });

  it('the same build as a kept deploy uploads nothing and reuses its id (a re-run after a stop before the pointer)', () => {
    const first = planAtomic(input({}));
    const p = planAtomic(input({ history: history(first.record), manifest: first.plan.manifest }));
    expect(p.reused).toBe(true);
    expect(p.record.id).toBe(1);
    expect(p.plan.actions.every((a) => a.action === 'skip')).toBe(true);
  });
});

describe('keysOfDeploy: the stored keys as one deploy serves them (the audit crawls these)', () => {
  const keys = ['_deploys/1/a.html', '_deploys/2/a.html', '_deploys/2/b.html', '_next/static/x.js', '404.html'];
  it.each([
    { live: 1, want: ['404.html', '_next/static/x.js', 'a.html'] },
    { live: 2, want: ['404.html', '_next/static/x.js', 'a.html', 'b.html'] },
    { live: undefined, want: ['404.html', '_next/static/x.js', 'a.html', 'b.html'] },
  ])('live $live', ({ live, want }) => expect(keysOfDeploy(keys, live)).toEqual(want));
  it('an in-place store is left as it is', () => expect(keysOfDeploy(['b', 'a'])).toEqual(['b', 'a']));
});
