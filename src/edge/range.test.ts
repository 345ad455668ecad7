import { describe, expect, it } from 'vitest';
import { contentRange, decideRange, multipartBody } from './range.js';

describe('Range requests on a cached 1,000-byte object (spec §4.7, §11 case 22)', () => {
  it('bytes=0-99 -> 206 with 100 bytes and Content-Range bytes 0-99/1000', () => {
    const d = decideRange('bytes=0-99', 1000);
    expect(d).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 99 }] });
    expect(contentRange({ start: 0, end: 99 }, 1000)).toBe('bytes 0-99/1000');
  });
  it.each([
    ['descending ranges -> 200 full object', 'bytes=300-400,100-200'],
    ['overlapping ranges -> 200 full object', 'bytes=100-200,150-250'],
    ['a negative value is invalid -> 200', 'bytes=-5-10'],
    ['garbage -> 200', 'bytes=abc'],
    ['another unit -> 200', 'items=0-1'],
    ['end before start -> 200', 'bytes=50-10'],
  ])('%s', (_name, header) => {
    expect(decideRange(header, 1000)).toEqual({ kind: 'full' });
  });
  it('ascending, non-overlapping ranges -> several parts', () => {
    expect(decideRange('bytes=100-200,300-400', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 100, end: 200 }, { start: 300, end: 400 }] });
  });
  it('suffix and open ranges', () => {
    expect(decideRange('bytes=-100', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 900, end: 999 }] });
    expect(decideRange('bytes=990-', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 990, end: 999 }] });
    expect(decideRange('bytes=990-5000', 1000)).toEqual({ kind: 'partial', ranges: [{ start: 990, end: 999 }] });
  });
  it('a range starting past the end -> 416', () => {
    expect(decideRange('bytes=1000-1100', 1000)).toEqual({ kind: 'unsatisfiable' });
  });
  it('multipart/byteranges body (RFC 9110, the spec recommendation for several ranges)', () => {
    const body = Buffer.from('0123456789');
    const mp = multipartBody(body, [{ start: 0, end: 1 }, { start: 5, end: 6 }], 'text/plain', 'XYZ');
    expect(mp.contentType).toBe('multipart/byteranges; boundary=XYZ');
    const text = mp.body.toString();
    expect(text).toContain('Content-Range: bytes 0-1/10\r\n\r\n01\r\n--XYZ');
    expect(text).toContain('Content-Range: bytes 5-6/10\r\n\r\n56\r\n--XYZ--');
  });
});
