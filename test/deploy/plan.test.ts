import { describe, expect, it } from 'vitest';
import { plan } from '../../src/deploy/plan.js';
import { emptyManifest } from '../../src/deploy/manifest.js';
import type { Manifest, PlanAction } from '../../src/deploy/types.js';
import { entry, file, manifest, nextTable, remote } from './fixtures.js';

const table = nextTable();
const NOW = new Date('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;
const opts = { retainSeconds: 7 * 86_400, retainDeploys: 3 };
const only = (actions: PlanAction[], key: string) => {
  const found = actions.filter((a) => a.key === key);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('plan: one action per key, each with its reason', () => {
  const cases: {
    name: string;
    local: ReturnType<typeof file>[];
    remote: ReturnType<typeof remote>[];
    manifest: Manifest;
    key: string;
    action: PlanAction['action'];
    reason: RegExp;
    phase?: string;
  }[] = [
    { name: 'new file is uploaded', local: [file('about/index.html')], remote: [], manifest: emptyManifest(), key: 'about/index.html', action: 'upload', reason: /new file/, phase: 'html' },
    {
      name: 'changed bytes are uploaded',
      local: [file('about/index.html', 'v2')],
      remote: [remote('about/index.html', 'v1')],
      manifest: manifest({ 'about/index.html': entry(table, 'about/index.html', 'v1') }),
      key: 'about/index.html',
      action: 'upload',
      reason: /^content changed$/,
    },
    {
      name: 'same bytes, same headers: skipped',
      local: [file('_next/static/chunks/a-1234abcd.js')],
      remote: [remote('_next/static/chunks/a-1234abcd.js')],
      manifest: manifest({ '_next/static/chunks/a-1234abcd.js': entry(table, '_next/static/chunks/a-1234abcd.js') }),
      key: '_next/static/chunks/a-1234abcd.js',
      action: 'skip',
      reason: /unchanged/,
    },
    {
      name: 'same bytes, a changed Cache-Control rule: metadata update, no re-upload',
      local: [file('logo.png')],
      remote: [remote('logo.png')],
      manifest: manifest({ 'logo.png': entry(table, 'logo.png', 'logo.png', { cacheControl: 'public, max-age=60' }) }),
      key: 'logo.png',
      action: 'update-metadata',
      reason: /cache-control "public, max-age=60" -> "public, max-age=0, s-maxage=300, must-revalidate"/,
      phase: 'metadata',
    },
    {
      name: 'same bytes, a changed Content-Type: metadata update',
      local: [file('feed.xml')],
      remote: [remote('feed.xml')],
      manifest: manifest({ 'feed.xml': entry(table, 'feed.xml', 'feed.xml', { contentType: 'text/plain' }) }),
      key: 'feed.xml',
      action: 'update-metadata',
      reason: /content-type "text\/plain" ->/,
    },
    {
      name: 'same bytes but no manifest record (a bucket filled by aws s3 sync): headers set by a metadata update',
      local: [file('index.html')],
      remote: [remote('index.html')],
      manifest: emptyManifest(),
      key: 'index.html',
      action: 'update-metadata',
      reason: /headers not recorded by edgeship/,
    },
    {
      name: 'object replaced outside edgeship (ETag differs from the manifest): compared by ETag, re-uploaded',
      local: [file('index.html', 'mine')],
      remote: [remote('index.html', 'theirs')],
      manifest: manifest({ 'index.html': entry(table, 'index.html', 'mine') }),
      key: 'index.html',
      action: 'upload',
      reason: /replaced outside edgeship/,
    },
    {
      name: 'a recorded object that vanished from the store is uploaded again',
      local: [file('index.html')],
      remote: [],
      manifest: manifest({ 'index.html': entry(table, 'index.html') }),
      key: 'index.html',
      action: 'upload',
      reason: /missing from the store/,
    },
    {
      name: 'a removed page is deleted',
      local: [file('index.html')],
      remote: [remote('index.html'), remote('old/index.html')],
      manifest: manifest({ 'index.html': entry(table, 'index.html'), 'old/index.html': entry(table, 'old/index.html') }),
      key: 'old/index.html',
      action: 'delete',
      reason: /not in the build/,
      phase: 'delete',
    },
    {
      name: 'a removed un-hashed image under an immutable behavior is deleted (aws s3 sync --exclude never does)',
      local: [file('index.html')],
      remote: [remote('index.html'), remote('images/old.jpg')],
      manifest: manifest({ 'index.html': entry(table, 'index.html'), 'images/old.jpg': entry(table, 'images/old.jpg') }),
      key: 'images/old.jpg',
      action: 'delete',
      reason: /not in the build/,
    },
    {
      name: 'a removed content-hashed chunk is retained',
      local: [file('index.html')],
      remote: [remote('index.html'), remote('_next/static/chunks/old-0badc0de.js')],
      manifest: manifest({ 'index.html': entry(table, 'index.html'), '_next/static/chunks/old-0badc0de.js': entry(table, '_next/static/chunks/old-0badc0de.js') }),
      key: '_next/static/chunks/old-0badc0de.js',
      action: 'retain',
      reason: /content-hashed asset left the build; kept until 2026-03-08T00:00:00.000Z/,
    },
    {
      name: 'a content-hashed file under a short-TTL behavior is not retained',
      local: [file('index.html')],
      remote: [remote('index.html'), remote('app-0badc0de.css')],
      manifest: manifest({ 'index.html': entry(table, 'index.html'), 'app-0badc0de.css': entry(table, 'app-0badc0de.css') }),
      key: 'app-0badc0de.css',
      action: 'delete',
      reason: /not in the build/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plan(c.local, c.remote, c.manifest, table, NOW, opts);
      const a = only(p.actions, c.key);
      expect(a.action).toBe(c.action);
      expect(a.reason).toMatch(c.reason);
      if (c.phase) expect(a.phase).toBe(c.phase);
    });
  }
});

describe('plan: multipart ETags', () => {
  it('recognises a file uploaded in parts by another tool from its multipart ETag (no manifest record)', () => {
    const big = { ...file('video.mp4', 'big'), multipartEtag: 'abc-3' };
    const p = plan([big], [{ ...remote('video.mp4', 'big'), etag: 'abc-3' }], emptyManifest(), table, NOW, opts);
    expect(only(p.actions, 'video.mp4')).toMatchObject({ action: 'update-metadata', bytes: 0 });
  });
  it('uploads it when neither the MD5 nor the multipart ETag match', () => {
    const big = { ...file('video.mp4', 'big'), multipartEtag: 'abc-3' };
    const p = plan([big], [{ ...remote('video.mp4', 'big'), etag: 'abd-3' }], emptyManifest(), table, NOW, opts);
    expect(only(p.actions, 'video.mp4').action).toBe('upload');
  });
});

describe('plan: headers and phases come from the behavior table', () => {
  it('gives each upload the Cache-Control and Content-Type of its behavior', () => {
    const p = plan([file('_next/static/chunks/main-1a2b3c4d.js'), file('index.html'), file('styles.css'), file('images/hero.jpg')], [], emptyManifest(), table, NOW, opts);
    const headers = Object.fromEntries(p.actions.map((a) => [a.key, a.headers]));
    expect(headers['_next/static/chunks/main-1a2b3c4d.js']).toEqual({ cacheControl: 'public, max-age=31536000, immutable', contentType: 'text/javascript; charset=utf-8' });
    expect(headers['index.html']).toEqual({ cacheControl: 'public, max-age=0, s-maxage=300, must-revalidate', contentType: 'text/html; charset=utf-8' });
    const phases = Object.fromEntries(p.actions.map((a) => [a.key, a.phase]));
    expect(phases).toEqual({ '_next/static/chunks/main-1a2b3c4d.js': 'immutable', 'images/hero.jpg': 'immutable', 'index.html': 'html', 'styles.css': 'short' });
  });

  it('puts non-HTML objects of a long-lived (not immutable) behavior in the assets phase', () => {
    const t = nextTable([{ path: 'fonts/*', cache: { edge: 30 * 86_400, browser: 86_400 }, compress: true }, { path: '*', cache: { edge: 300, browser: 0 }, compress: true }]);
    const p = plan([file('fonts/a.woff2')], [], emptyManifest(), t, NOW, opts);
    expect(p.actions[0]!.phase).toBe('assets');
  });
});

describe('plan: the manifest it writes', () => {
  it('records hash, headers and the deploys each key appeared in, and numbers the deploy', () => {
    const m = manifest({ 'index.html': entry(table, 'index.html', 'index.html', { firstDeploy: 1 }) }, [{ id: 2, at: '2026-02-01T00:00:00.000Z' }]);
    const p = plan([file('index.html'), file('new.html')], [remote('index.html')], m, table, NOW, opts);
    expect(p.deployId).toBe(3);
    expect(p.manifest.deploys.at(-1)).toEqual({ id: 3, at: NOW.toISOString() });
    expect(p.manifest.entries['index.html']).toEqual({ ...m.entries['index.html'], firstDeploy: 1 });
    expect(p.manifest.entries['new.html']).toMatchObject({ md5: 'md5-new.html', firstDeploy: 3, cacheControl: 'public, max-age=0, s-maxage=300, must-revalidate' });
    expect(p.manifestChanged).toBe(true);
  });

  it('leaves the manifest alone when nothing changed, so a no-change deploy writes nothing', () => {
    const m = manifest({ 'index.html': entry(table, 'index.html') });
    const p = plan([file('index.html')], [remote('index.html')], m, table, NOW, opts);
    expect(p.actions.map((a) => a.action)).toEqual(['skip']);
    expect(p.manifestChanged).toBe(false);
  });

  it('records the deploy range of a key that left the build', () => {
    const chunk = '_next/static/chunks/old-0badc0de.js';
    const m = manifest({ [chunk]: entry(table, chunk, chunk, { firstDeploy: 1 }) }, [{ id: 4, at: '2026-02-01T00:00:00.000Z' }]);
    const p = plan([file('index.html')], [remote(chunk)], m, table, NOW, opts);
    expect(p.manifest.entries[chunk]).toMatchObject({ firstDeploy: 1, lastDeploy: 4, removedAt: NOW.toISOString() });
  });

  it('never plans for keys under the reserved .edgeship/ prefix', () => {
    const p = plan([file('index.html')], [remote('index.html'), remote('.edgeship/deploy-manifest.json')], emptyManifest(), table, NOW, opts);
    expect(p.actions.map((a) => a.key)).toEqual(['index.html']);
    expect(p.remoteCount).toBe(1);
  });
});

describe('plan: retention of removed content-hashed assets', () => {
  const chunk = '_next/static/chunks/old-0badc0de.js';
  const history = (ids: number[]) => ids.map((id) => ({ id, at: new Date(NOW.getTime() - (10 - id) * DAY).toISOString() }));

  const cases = [
    { name: 'kept within the time window even after many deploys', removedDaysAgo: 2, lastDeploy: 1, previous: 9, action: 'retain' },
    { name: 'kept while it was in one of the last 3 deploys, even past the time window', removedDaysAgo: 30, lastDeploy: 7, previous: 9, action: 'retain' },
    { name: 'deleted once both the window and the 3 deploys have passed', removedDaysAgo: 8, lastDeploy: 6, previous: 9, action: 'delete' },
    { name: 'deleted exactly at the end of the window', removedDaysAgo: 7, lastDeploy: 6, previous: 9, action: 'delete' },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const removedAt = new Date(NOW.getTime() - c.removedDaysAgo * DAY).toISOString();
      const m = manifest({ [chunk]: entry(table, chunk, chunk, { lastDeploy: c.lastDeploy, removedAt }) }, history([c.previous]));
      const p = plan([file('index.html')], [remote(chunk)], m, table, NOW, opts);
      expect(only(p.actions, chunk).action).toBe(c.action);
      // the record stays until the object is gone, so a crash before the delete keeps the clock
      expect(p.manifest.entries[chunk]?.removedAt).toBe(removedAt);
    });
  }

  it('starts the clock for a chunk it has no record of (left by another tool)', () => {
    const p = plan([file('index.html')], [remote(chunk)], emptyManifest(), table, NOW, opts);
    expect(only(p.actions, chunk).action).toBe('retain');
    expect(p.manifest.entries[chunk]?.removedAt).toBe(NOW.toISOString());
  });

  it('a retained chunk that comes back into the build is skipped and loses its removal date', () => {
    const m = manifest({ [chunk]: entry(table, chunk, chunk, { removedAt: NOW.toISOString() }) });
    const p = plan([file(chunk)], [remote(chunk)], m, table, NOW, opts);
    expect(only(p.actions, chunk).action).toBe('skip');
    expect(p.manifest.entries[chunk]?.removedAt).toBeUndefined();
  });
});

describe('plan: warnings', () => {
  it('names a file whose bytes changed under an immutable behavior without a content hash', () => {
    const m = manifest({ 'images/hero.jpg': entry(table, 'images/hero.jpg', 'v1') });
    const p = plan([file('images/hero.jpg', 'v2')], [remote('images/hero.jpg', 'v1')], m, table, NOW, opts);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'IMMUTABLE_WITHOUT_HASH', key: 'images/hero.jpg' })]);
    expect(p.warnings[0]!.message).toMatch(/images\/hero\.jpg.*a year/);
  });

  it('does not warn for a new file, nor for a hashed name', () => {
    const m = manifest({ '_next/static/chunks/a-1234abcd.js': entry(table, '_next/static/chunks/a-1234abcd.js', 'v1') });
    const p = plan([file('images/new.jpg'), file('_next/static/chunks/a-1234abcd.js', 'v2')], [remote('_next/static/chunks/a-1234abcd.js', 'v1')], m, table, NOW, opts);
    expect(p.warnings).toEqual([]);
  });
});
