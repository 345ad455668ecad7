/**
 * Viewer `Range` requests served from a cached object (spec/cloudfront.md §4.7, §11 case 22).
 *
 * CloudFront answers `206` only for a valid header: ranges in ascending order, not overlapping,
 * all syntactically valid. Anything else gets `200` with the whole object. Several valid ranges
 * get an RFC 9110 `multipart/byteranges` body (the spec's recommendation; AWS does not document
 * the format). A valid header none of whose ranges overlaps the object gets `416`.
 */

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; ranges: ByteRange[] }
  | { kind: 'unsatisfiable' };

const FULL: RangeDecision = { kind: 'full' };

/** At most this many ranges in one header; more is treated as invalid (a cheap guard against amplification). */
export const MAX_RANGES = 100;

/** How a `Range` header applies to an object of `size` bytes. */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return FULL;
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return FULL;
  const specs = m[1]!.split(',');
  if (specs.length > MAX_RANGES) return FULL;
  const ranges: ByteRange[] = [];
  let satisfiable = false;
  for (const raw of specs) {
    const spec = raw.trim();
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return FULL; // syntactically invalid (incl. negative values)
    let start: number;
    let end: number;
    if (r[1] === '') {
      // Suffix range: the last N bytes.
      const n = Number(r[2]);
      if (n === 0) continue; // "bytes=-0" selects nothing
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Number(r[1]);
      // An open end reaches to the last byte; `bytes=N-` with N >= size is valid but selects
      // nothing (RFC 9110 §14.1.2): unsatisfiable, not invalid, so 416 and not 200.
      end = r[2] === '' ? Math.max(size - 1, start) : Number(r[2]);
      if (end < start) return FULL; // last-byte-pos before first-byte-pos: invalid
      if (start >= size) {
        // Unsatisfiable part; it still takes part in the ordering checks below.
        ranges.push({ start, end });
        continue;
      }
      end = Math.min(end, size - 1);
    }
    if (size > 0) satisfiable = true;
    ranges.push({ start, end });
  }
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    if (cur.start < prev.start) return FULL; // descending
    if (cur.start <= prev.end) return FULL; // overlapping
  }
  if (!satisfiable) return { kind: 'unsatisfiable' };
  return { kind: 'partial', ranges: ranges.filter((r) => r.start < size) };
}

/** `Content-Range` for one part. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** A `multipart/byteranges` body (RFC 9110 §14.6) and its content type. */
export function multipartBody(body: Buffer, ranges: ByteRange[], contentType: string | undefined, boundary: string): { contentType: string; body: Buffer } {
  const parts: Buffer[] = [];
  for (const r of ranges) {
    let head = `\r\n--${boundary}\r\n`;
    if (contentType) head += `Content-Type: ${contentType}\r\n`;
    head += `Content-Range: ${contentRange(r, body.length)}\r\n\r\n`;
    parts.push(Buffer.from(head, 'latin1'), body.subarray(r.start, r.end + 1));
  }
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return { contentType: `multipart/byteranges; boundary=${boundary}`, body: Buffer.concat(parts) };
}
