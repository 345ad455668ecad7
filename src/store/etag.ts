import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

/** S3's smallest part (all but the last part of a multipart upload are at least this big). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export function md5Hex(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Strips the quotes S3 puts around ETags (`"abc"` -> `abc`, also weak `W/"abc"`). */
export function unquoteEtag(etag: string | undefined): string {
  if (etag === undefined) return '';
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/**
 * Accumulates the plain MD5 and the multipart ETag (`md5(md5(part1) ++ ... ++ md5(partN))-N`)
 * of a byte sequence in one pass, for a given part size. This is how S3 names an object
 * uploaded in parts of `partSize` bytes (all parts full except the last).
 */
export class EtagAccumulator {
  readonly #whole = createHash('md5');
  readonly #partDigests: Buffer[] = [];
  #part: Hash = createHash('md5');
  #partFill = 0;
  #size = 0;

  constructor(readonly partSize: number) {
    if (!Number.isInteger(partSize) || partSize <= 0) throw new RangeError(`partSize must be a positive integer, got ${partSize}`);
  }

  /** Bytes hashed so far. */
  get size(): number {
    return this.#size;
  }

  update(chunk: Buffer): void {
    this.#size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.partSize - this.#partFill, chunk.length - offset);
      const slice = chunk.subarray(offset, offset + take);
      this.#whole.update(slice);
      // The first part is the start of the whole: its digest is a copy of the whole hash at the
      // part boundary, so objects of one part (nearly all of a site) are hashed once, not twice.
      if (this.#partDigests.length > 0) this.#part.update(slice);
      this.#partFill += take;
      offset += take;
      if (this.#partFill === this.partSize) {
        this.#partDigests.push(this.#partDigests.length === 0 ? this.#whole.copy().digest() : this.#part.digest());
        this.#part = createHash('md5');
        this.#partFill = 0;
      }
    }
  }

  /** `md5` of all bytes, `multipart` as S3 would name a multipart upload of them, and the size. */
  digest(): { md5: string; multipart: string; size: number; parts: number } {
    const whole = this.#whole.digest();
    const digests = [...this.#partDigests];
    if (digests.length === 0) digests.push(whole);
    else if (this.#partFill > 0) digests.push(this.#part.digest());
    const multipart = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
    return { md5: whole.toString('hex'), multipart, size: this.#size, parts: digests.length };
  }
}

/**
 * The multipart ETag S3 gives a file uploaded in parts of `partSize` bytes:
 * `md5(concat(md5(part_i)))-N`. Deploy compares it with a listed ETag to tell whether a file
 * uploaded in parts changed.
 */
export async function multipartEtagOfFile(file: string, partSize: number): Promise<string> {
  return (await etagsOfFile(file, partSize)).multipart;
}

/** The plain MD5 and the multipart ETag of a file, read once. */
export async function etagsOfFile(file: string, partSize: number): Promise<{ md5: string; multipart: string; size: number; parts: number }> {
  const acc = new EtagAccumulator(partSize);
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) acc.update(chunk as Buffer);
  return acc.digest();
}

/**
 * Whether an ETag a store reports is the one these bytes should have: the plain MD5, or the
 * multipart ETag when they were uploaded in parts. Some S3-compatible servers (s3rver,
 * some gateways) name a completed multipart upload by the plain MD5; both are accepted.
 */
export function etagMatches(etag: string, expected: { md5: string; multipart?: string }): boolean {
  const e = unquoteEtag(etag).toLowerCase();
  return e === expected.md5.toLowerCase() || (expected.multipart !== undefined && e === expected.multipart.toLowerCase());
}

/**
 * A pass-through stream that hashes what flows through it and, at the end, fails the stream
 * (so the upload it feeds is aborted, not committed) when the bytes do not match the declared
 * `md5` or `size`.
 */
export class VerifyingHash extends Transform {
  readonly acc: EtagAccumulator;
  #result: ReturnType<EtagAccumulator['digest']> | undefined;
  #pending: Buffer | undefined;

  constructor(
    partSize: number,
    private readonly expect: { md5?: string; size?: number; onMismatch: (what: string) => Error },
  ) {
    super();
    this.acc = new EtagAccumulator(partSize);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.acc.update(chunk);
    if (this.expect.size !== undefined && this.acc.size > this.expect.size) {
      cb(this.expect.onMismatch(`more than the declared ${this.expect.size} bytes`));
      return;
    }
    // Hold back the latest chunk until the end is verified: the receiver never gets the last
    // bytes of a mismatching body, so a single-request upload cannot complete with them.
    const previous = this.#pending;
    this.#pending = chunk;
    cb(null, previous);
  }

  override _flush(cb: TransformCallback): void {
    const result = this.acc.digest();
    this.#result = result;
    if (this.expect.size !== undefined && result.size !== this.expect.size) {
      cb(this.expect.onMismatch(`${result.size} bytes, declared ${this.expect.size}`));
      return;
    }
    if (this.expect.md5 !== undefined && result.md5 !== this.expect.md5.toLowerCase()) {
      cb(this.expect.onMismatch(`MD5 ${result.md5}, declared ${this.expect.md5}`));
      return;
    }
    cb(null, this.#pending);
  }

  /** Hashes of the bytes that went through; only after the stream ended. */
  get result(): ReturnType<EtagAccumulator['digest']> {
    if (this.#result === undefined) throw new Error('VerifyingHash.result read before the stream ended');
    return this.#result;
  }
}
