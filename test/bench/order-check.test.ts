import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../bench/deploy/counting-proxy.js';
import { checkOrder } from '../../bench/deploy/order-check.js';

const put = (key: string, start: number, end: number): LoggedRequest => ({ method: 'PUT', key, copy: false, start, end });
const del = (keys: string[], start: number, end: number): LoggedRequest => ({ method: 'POST', key: '', deleteKeys: keys, copy: false, start, end });

describe('checkOrder: the write order read from the proxy log', () => {
  it.each([
    ['assets answered before the first page, deletes last', [put('a.js', 0, 10), put('b.css', 2, 12), put('index.html', 12, 20), del(['old.js'], 21, 25)], true],
    ['a page sent while an asset is still on its way', [put('a.js', 0, 10), put('index.html', 5, 20)], false],
    ['a delete sent before the last page is stored', [put('a.js', 0, 10), put('index.html', 11, 20), del(['old.html'], 15, 25)], false],
    ['bookkeeping keys (manifest, lock, probe) in any order', [put('a.js', 0, 10), put('.edgeship/deploy-lock.json', 5, 30), put('index.html', 11, 20), del(['.edgeship/conditional-write-probe'], 12, 13)], true],
    ['a page copied (new headers) before an asset is stored', [put('a.js', 0, 10), { ...put('about.html', 3, 6), copy: true }], false],
  ])('%s', (_what, log, kept) => {
    const verdict = checkOrder(log);
    expect(verdict.kept).toBe(kept);
    expect(verdict.problems.length === 0).toBe(kept);
  });

  it('names the keys and times of a broken order', () => {
    expect(checkOrder([put('a.js', 0, 10), put('index.html', 5, 20)]).problems).toEqual(['HTML index.html was sent at 5 ms, before a.js was stored at 10 ms']);
  });
});
