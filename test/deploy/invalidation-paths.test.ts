import { describe, expect, it } from 'vitest';
import { expandUserPaths } from '../../src/deploy/invalidate.js';
import { covers, encodeInvalidationPath, invalidationPathProblem, reduceInvalidationPaths, viewerPathsForKey } from '../../src/deploy/invalidation-paths.js';

describe('viewerPathsForKey: every form CloudFront may have cached (spec §8.1)', () => {
  it.each([
    ['about/index.html', ['/about', '/about/', '/about/index.html']],
    ['index.html', ['/', '/index.html']],
    ['docs/a/index.html', ['/docs/a', '/docs/a/', '/docs/a/index.html']],
    ['robots.txt', ['/robots.txt']],
    ['with space.html', ['/with%20space', '/with%20space.html']],
    ['blog/hello.html', ['/blog/hello', '/blog/hello.html']], // Next.js' default layout: /blog/hello is rewritten to it
    ['café/index.html', ['/caf%C3%A9', '/caf%C3%A9/', '/caf%C3%A9/index.html']],
  ])('%s -> %j', (key, paths) => {
    expect(viewerPathsForKey(key)).toEqual(paths);
  });
});

describe('encodeInvalidationPath: encode unsafe and non-ASCII characters only (§8.1)', () => {
  it.each([
    ['/a b', '/a%20b'],
    ['/a+b@c:d', '/a+b@c:d'],
    ['/x{y}|z', '/x%7By%7D%7Cz'],
    ['/ü', '/%C3%BC'],
    ['/star*', '/star%2A'],
    ['/100%', '/100%25'],
  ])('%s -> %s', (input, out) => expect(encodeInvalidationPath(input)).toBe(out));
});

describe('invalidationPathProblem (§8.1)', () => {
  it('requires a leading slash', () => expect(invalidationPathProblem('about')).toMatch(/start with "\/"/));
  it('limits the length to 4,000 characters', () => expect(invalidationPathProblem(`/${'a'.repeat(4000)}`)).toMatch(/4000/));
  it('accepts a wildcard path', () => expect(invalidationPathProblem('/docs/*')).toBeUndefined());
});

describe('reduceInvalidationPaths: the fewest paths that cover the changes (§8.3, §8.4)', () => {
  const cases: { name: string; paths: string[]; options?: Parameters<typeof reduceInvalidationPaths>[1]; out: string[] }[] = [
    { name: 'nothing changed: no paths', paths: [], out: [] },
    { name: 'a few paths are sent as they are', paths: ['/about', '/about/', '/about/index.html'], out: ['/about', '/about/', '/about/index.html'] },
    { name: 'duplicates are dropped', paths: ['/a', '/a', '/b'], out: ['/a', '/b'] },
    { name: 'a caller wildcard covers paths under it', paths: ['/docs/*', '/docs/a', '/docs/b/c', '/x'], out: ['/docs/*', '/x'] },
    { name: '/* covers everything', paths: ['/a', '/*'], out: ['/*'] },
    {
      name: 'a folder whose every object changed collapses for free',
      paths: ['/blog/a', '/blog/b', '/blog/c', '/blog/d', '/about'],
      options: { allPaths: ['/blog/a', '/blog/b', '/blog/c', '/blog/d', '/about', '/other'] },
      out: ['/about', '/blog/*'],
    },
    {
      name: 'a folder of only 3 changed paths is not worth a wildcard slot',
      paths: ['/p/', '/p/a', '/p/index.html'],
      options: { allPaths: ['/p/', '/p/a', '/p/index.html'] },
      out: ['/p/', '/p/a', '/p/index.html'],
    },
    {
      name: 'a folder with unchanged objects does not collapse while within budget',
      paths: ['/blog/a', '/blog/b'],
      options: { allPaths: ['/blog/a', '/blog/b', '/blog/c'] },
      out: ['/blog/a', '/blog/b'],
    },
    {
      name: 'over budget: the folder saving most paths per unchanged object collapses',
      paths: ['/docs/1', '/docs/2', '/docs/3', '/docs/4', '/blog/1', '/blog/2', '/x'],
      options: { maxPaths: 4, allPaths: ['/docs/1', '/docs/2', '/docs/3', '/docs/4', '/docs/5', '/blog/1', '/blog/2', '/blog/3', '/blog/4', '/blog/5', '/blog/6', '/x'] },
      out: ['/blog/1', '/blog/2', '/docs/*', '/x'],
    },
    {
      name: 'over budget with no room for wildcards: everything, in one path',
      paths: ['/a/1', '/b/1', '/c/1', '/d/1'],
      options: { maxPaths: 2, maxWildcards: 1 },
      out: ['/*'],
    },
    {
      name: 'top-level files over budget cannot share a folder: /*',
      paths: ['/a', '/b', '/c'],
      options: { maxPaths: 2 },
      out: ['/*'],
    },
    {
      name: 'a nested folder wildcard is dropped under its parent wildcard',
      paths: ['/d/a/1', '/d/a/2', '/d/a/3', '/d/a/4', '/d/b/1', '/d/b/2'],
      options: { allPaths: ['/d/a/1', '/d/a/2', '/d/a/3', '/d/a/4', '/d/b/1', '/d/b/2'] },
      out: ['/d/*'],
    },
  ];
  for (const c of cases) it(c.name, () => expect(reduceInvalidationPaths(c.paths, c.options)).toEqual(c.out));

  it('never uses more than 15 wildcards, whatever is asked', () => {
    const paths = Array.from({ length: 40 }, (_, i) => [`/f${i}/a`, `/f${i}/b`]).flat();
    const out = reduceInvalidationPaths(paths, { maxPaths: 30, maxWildcards: 100 });
    expect(out.filter((p) => p.endsWith('*')).length).toBeLessThanOrEqual(15);
    expect(out.length).toBeLessThanOrEqual(30);
  });
});

describe('covers', () => {
  it('matches exact paths and trailing-wildcard prefixes', () => {
    expect(covers(['/a', '/d/*'], '/a')).toBe(true);
    expect(covers(['/a', '/d/*'], '/d/')).toBe(true);
    expect(covers(['/a', '/d/*'], '/d')).toBe(false);
    expect(covers(['/a'], '/a/')).toBe(false);
  });
});

describe('expandUserPaths (edgeship invalidate)', () => {
  it.each([
    [['/about'], ['/about']],
    [['/about/'], ['/about', '/about/', '/about/index.html']],
    [['/about/index.html'], ['/about', '/about/', '/about/index.html']],
    [['/'], ['/', '/index.html']],
    [['/docs/*'], ['/docs/*']],
    [['/a b.png'], ['/a%20b.png']],
  ])('%j -> %j', (input, out) => expect(expandUserPaths(input)).toEqual(out));

  it('refuses a path without a leading slash (exit 2), with the fix', () => {
    expect(() => expandUserPaths(['about'])).toThrow(expect.objectContaining({ code: 'INVALIDATE_BAD_PATH', exitCode: 2, hint: 'write it as "/about"' }));
  });
});
