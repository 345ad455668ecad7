import { describe, expect, it } from 'vitest';
import { headersFor, rulesFor } from './match.js';
import { parseHeaders } from './parse.js';

const { rules } = parseHeaders(
  ['/*', '  X-All: 1', '/blog/:slug', '  X-Post: 1', '/blog/:slug/*', '  X-Under: 1', '/*/feed.xml', '  Content-Type: application/rss+xml', '/a', '  X-All: 2', '/public/*', '  ! X-All'].join('\n'),
  'cloudflare',
);

describe('_headers: which rules apply to a path', () => {
  it.each([
    ['/', [1]],
    ['/blog/hello', [1, 3]],
    ['/blog/hello/', [1, 5]],
    ['/blog/a/b', [1, 5]],
    ['/blog/hello/feed.xml', [1, 5, 7]],
    ['/feed.xml', [1]],
    ['/a', [1, 9]],
    ['/a/', [1]],
    ['/public/x', [1, 11]],
  ])('%s: rules on lines %j', (path, lines) => {
    expect(rulesFor(rules, path).map((r) => r.line)).toEqual(lines);
  });

  it('joins a header set twice and detaches what an earlier rule set, in file order', () => {
    expect(headersFor(rules, '/a').get('x-all')).toEqual({ name: 'X-All', value: '1, 2' });
    expect(headersFor(rules, '/public/x').has('x-all')).toBe(false);
    expect(headersFor(rules, '/b/feed.xml').get('content-type')?.value).toBe('application/rss+xml');
  });

  it("Netlify: a later rule's header replaces an earlier rule's, one rule's repeats are joined (@netlify/headers-parser, netlify-cli headersForPath)", () => {
    const netlify = parseHeaders(['/*', '  X-All: 1', '  X-Both: a', '/a', '  X-All: 2', '  X-All: 3'].join('\n'), 'netlify').rules;
    expect(headersFor(netlify, '/a').get('x-all')?.value).toBe('2, 3');
    expect(headersFor(netlify, '/a').get('x-both')?.value).toBe('a');
    expect(headersFor(netlify, '/b').get('x-all')?.value).toBe('1');
  });
});
