import { Readable } from 'node:stream';
import { STORE_ERRORS, storeError } from './errors.js';
import { clampRange } from './range.js';
import type { GetOptions } from './types.js';

/**
 * The body of a ranged GET cut to the range asked for. `Content-Range: bytes 0-9/100` gives the
 * bytes returned and the object's full size. A server that ignored the range (200) or sent more
 * than asked (s3rver answers `bytes=0-0` with the whole object) is cut to the range here; one
 * that sent less is an error.
 */
export function fitToRange(
  body: Readable,
  answer: { contentRange: string | undefined; contentLength: number | undefined },
  range: NonNullable<GetOptions['range']>,
  where: string,
): { body: Readable; size: number; range: { start: number; end: number } } {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(answer.contentRange ?? '');
  const length = answer.contentLength ?? 0;
  const sent = m === null ? { start: 0, end: length - 1, size: length } : { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) };
  const want = clampRange(range, sent.size, where);
  if (sent.start === want.start && sent.end === want.end) return { body, size: sent.size, range: want };
  if (sent.start > want.start || sent.end < want.end) {
    body.destroy();
    throw storeError(STORE_ERRORS.requestFailed, `${where}: asked for bytes ${want.start}-${want.end}, the server sent ${sent.start}-${sent.end}`, 'the endpoint mishandles Range requests');
  }
  return { body: Readable.from(sliceGen(body, want.start - sent.start, want.end - sent.start)), size: sent.size, range: want };
}

async function* sliceGen(body: Readable, start: number, end: number): AsyncGenerator<Buffer> {
  let pos = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    const from = Math.max(start - pos, 0);
    const to = Math.min(end + 1 - pos, buf.length);
    if (to > from) yield buf.subarray(from, to);
    pos += buf.length;
    if (pos > end) break;
  }
}
