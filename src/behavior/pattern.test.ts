import { describe, expect, it } from 'vitest';
import { globMatch, matchPattern, patternProblem } from './pattern.js';

describe('CloudFront path patterns (spec §1.2)', () => {
  it.each([
    // pattern, path, matches
    ['*', '/', true],
    ['*', '/anything/at/all.html', true],
    ['images/*.jpg', '/images/a.jpg', true],
    ['images/*.jpg', '/images/sub/dir/a.jpg', true], // `*` crosses `/`
    ['images/*.jpg', '/images/a.png', false],
    ['*.jpg', '/deep/path/photo.jpg', true],
    ['/images/*.jpg', '/images/a.jpg', true], // leading `/` optional in the pattern
    ['images/*.jpg', 'images/a.jpg', true], // and in the path
    ['*.doc*', '/a/b.docx', true],
    ['*.doc*', '/a/b.doc', true],
    ['*.doc?', '/a.doc', false], // `?` is exactly one character
    ['*.doc?', '/a.docx', true],
    ['*.jpg', '/LOGO.JPG', false], // case-sensitive
    ['a*.jpg', '/apple.jpg', true],
    ['a*.jpg', '/abra/cadabra/magic.jpg', true],
    ['a*.jpg', '/banana.jpg', false],
    ['about', '/about', true],
    ['about', '/about/', false], // whole-path match
    ['about/', '/about', false],
    ['img/?', '/img//', true], // `?` matches `/` too (recommended reading)
    ['_next/static/*', '/_next/static/chunks/x.js', true],
    ['_next/static/*', '/_next/static', false],
    ['_next/static/*', '/_next/static/', true],
    ['x+y@z:~$', "/x+y@z:~$", true],
  ])('%s against %s -> %s', (pattern, path, expected) => {
    expect(matchPattern(pattern, path)).toBe(expected);
  });

  it('ignores the query string (spec §11 case 3)', () => {
    expect(matchPattern('*.doc*', '/a/b.docx?x=1')).toBe(true);
    expect(matchPattern('*.html', '/page?file=a.html')).toBe(false);
  });

  it('compares the raw path: percent-encoding is not decoded', () => {
    expect(matchPattern('a b/*', '/a%20b/c')).toBe(false);
    expect(matchPattern('a%20b/*', '/a%20b/c')).toBe(true);
  });

  it('stays linear on hostile paths (no exponential backtracking)', () => {
    const path = 'a'.repeat(20_000);
    expect(globMatch('*a*a*a*a*a*a*b', path)).toBe(false);
  });
});

describe('pattern validation', () => {
  it.each([
    ['images/*', undefined],
    ["a-b_c.d~e$f/g'h\"i@j:k+l&m?*", undefined],
    ['', 'is empty; use "*" for the default behavior'],
    ['images/{a,b}', 'has characters CloudFront does not accept ("{", ",", "}"); allowed: A-Z a-z 0-9 _ - . * ? $ / ~ " \' @ : + &'],
    ['a b', 'has characters CloudFront does not accept (" "); allowed: A-Z a-z 0-9 _ - . * ? $ / ~ " \' @ : + &'],
    ['x'.repeat(256), 'is 256 characters long; CloudFront accepts at most 255'],
  ])('%s -> %s', (pattern, problem) => {
    expect(patternProblem(pattern)).toBe(problem);
  });

  it('accepts exactly 255 characters', () => {
    expect(patternProblem('x'.repeat(255))).toBeUndefined();
  });
});
