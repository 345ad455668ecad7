import { STORE_ERRORS, storeError } from './errors.js';

/**
 * The inclusive byte range `get` returns for a requested range on an object of `size` bytes,
 * as S3 answers `Range: bytes=start-end`: `end` past the last byte (or left out) is clamped
 * to it; a `start` at or past the end of the object is unsatisfiable (S3 answers 416
 * InvalidRange) and throws `STORE_RANGE_INVALID`.
 */
export function clampRange(range: { start: number; end?: number }, size: number, where: string): { start: number; end: number } {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw storeError(STORE_ERRORS.rangeInvalid, `${where}: range ${JSON.stringify(range)} is not a byte range`, 'pass integers with 0 <= start <= end');
  }
  if (start >= size) {
    throw storeError(STORE_ERRORS.rangeInvalid, `${where}: range starts at byte ${start} but the object has ${size} bytes`, 'check the size with head() first (an HTTP server answers 416 here)');
  }
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
