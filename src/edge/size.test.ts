import { describe, expect, it } from 'vitest';
import { parseSize } from './size.js';

describe('--cache-size values', () => {
  it.each([
    ['256MB', 256 * 1024 * 1024],
    ['1GB', 1024 ** 3],
    ['512k', 512 * 1024],
    ['1048576', 1_048_576],
    ['1.5mb', 1.5 * 1024 * 1024],
  ])('%s', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(['', 'lots', '-1MB', '0', '5TB'])('%s is refused', (text) => expect(parseSize(text)).toBeUndefined());
});
