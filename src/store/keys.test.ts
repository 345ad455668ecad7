import { describe, expect, it } from 'vitest';
import { assertKey, keyProblem } from './keys.js';

describe('keyProblem: the one key rule every store applies', () => {
  it.each([
    'index.html',
    'with space.txt',
    'ünïcødé/日本.html',
    '100%.txt',
    'q?x=1#frag',
    'a',
    'a/b',
    'a//b',
    'a/./b',
    'a/../b',
    './x',
    '...',
    '.hidden',
    'dir/',
    'C:x',
    'x/a/../../y',
    'é'.repeat(512),
  ])('accepts %j', (key) => {
    expect(keyProblem(key)).toBeUndefined();
  });

  it.each([
    ['', 'is empty'],
    ['..', 'climbs above the root'],
    ['../x', 'climbs above the root'],
    ['a/../../x', 'climbs above the root'],
    ['a/b/../../../x', 'climbs above the root'],
    ['..\\x', 'climbs above the root'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share', 'absolute'],
    ['C:\\Windows', 'absolute'],
    ['c:/x', 'absolute'],
    ['a\0b', 'NUL'],
    ['x\uDC00', 'UTF-8'],
    ['é'.repeat(513), '1024 bytes'],
  ])('refuses %j (%s)', (key, why) => {
    expect(keyProblem(key)).toContain(why);
  });

  it('throws STORE_KEY_INVALID naming the key, where, and the fix', () => {
    expect(() => assertKey('../secret', 'fs:/tmp/s put')).toThrow(
      expect.objectContaining({ code: 'STORE_KEY_INVALID', message: 'fs:/tmp/s put: key "../secret" climbs above the root with ".." segments', hint: expect.stringContaining('relative UTF-8 paths') }),
    );
  });
});
