import { describe, expect, it } from 'vitest';
import { clampRange } from './range.js';

describe('clampRange (S3 Range: bytes=start-end on an object of `size` bytes)', () => {
  it.each([
    [{ start: 0, end: 0 }, 10, { start: 0, end: 0 }],
    [{ start: 2, end: 5 }, 10, { start: 2, end: 5 }],
    [{ start: 5 }, 10, { start: 5, end: 9 }],
    [{ start: 5, end: 100 }, 10, { start: 5, end: 9 }],
    [{ start: 9 }, 10, { start: 9, end: 9 }],
  ])('%j of %i bytes is %j', (range, size, expected) => {
    expect(clampRange(range, size, 'test')).toEqual(expected);
  });

  it.each([
    [{ start: 10 }, 10],
    [{ start: 0 }, 0],
    [{ start: 5, end: 4 }, 10],
    [{ start: -1 }, 10],
    [{ start: 1.5 }, 10],
  ])('refuses %j of %i bytes with STORE_RANGE_INVALID', (range, size) => {
    expect(() => clampRange(range, size, 'test')).toThrow(expect.objectContaining({ code: 'STORE_RANGE_INVALID' }));
  });
});
