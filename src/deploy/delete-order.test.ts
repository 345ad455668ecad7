import { describe, expect, it } from 'vitest';
import { orderDeletes } from './delete-order.js';

const html = { cacheControl: 'public, max-age=0', contentType: 'text/html; charset=utf-8' };
const js = { cacheControl: 'public, max-age=31536000, immutable', contentType: 'text/javascript; charset=utf-8' };

describe('orderDeletes: pages before the assets they name', () => {
  it.each([
    ['no deletes', [{ key: 'a.html', action: 'upload', shortTtl: true, headers: html }], [[], []]],
    [
      'a page, a short-lived data file, an asset: the first two go first, in plan order',
      [
        { key: '_next/static/chunks/a.js', action: 'delete', shortTtl: false, headers: js },
        { key: 'about.html', action: 'delete', shortTtl: true, headers: html },
        { key: 'about.txt', action: 'delete', shortTtl: true, headers: undefined },
        { key: 'keep.html', action: 'skip', shortTtl: true, headers: html },
      ],
      [['about.html', 'about.txt'], ['_next/static/chunks/a.js']],
    ],
    ['HTML under a long-lived behavior is still a page', [{ key: 'legal/terms.html', action: 'delete', shortTtl: false, headers: html }], [['legal/terms.html'], []]],
    ['an object without recorded headers and a long TTL is an asset', [{ key: 'old.bin', action: 'delete', shortTtl: false, headers: undefined }], [[], ['old.bin']]],
  ] as const)('%s', (_name, actions, expected) => {
    expect(orderDeletes(actions as never)).toEqual(expected);
  });

  it('keeps every key exactly once, in plan order within each group, on a 50,000-delete plan', () => {
    const actions = Array.from({ length: 50_000 }, (_, i) => ({ key: `k${i}`, action: 'delete' as const, shortTtl: i % 2 === 0, headers: undefined }));
    const [pages, rest] = orderDeletes(actions);
    expect(pages.length + rest.length).toBe(50_000);
    expect(new Set([...pages, ...rest]).size).toBe(50_000);
    expect(pages[0]).toBe('k0');
    expect(rest[0]).toBe('k1');
  });
});
