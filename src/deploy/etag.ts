import crypto from 'node:crypto';
import fs from 'node:fs';
import { etagsOfFile } from '../store/etag.js';

export { etagMatches } from '../store/etag.js';

/** Files up to this size are read whole; larger ones are streamed. */
export const WHOLE_READ_LIMIT = 4 * 1024 * 1024;

export interface FileHashes {
  md5: string;
  /** Set when the file is at least the multipart threshold: the ETag of an upload in parts. */
  multipartEtag?: string;
}

/** Whether a file of `size` bytes is hashed by `hashLargeFile` (streamed, or in parts) rather than read whole. */
export function needsStream(size: number, multipart?: { threshold: number }): boolean {
  return size > WHOLE_READ_LIMIT || (multipart !== undefined && size >= multipart.threshold);
}

/**
 * MD5 of a small file, read whole and synchronously: a site has thousands of 20 KB files, and
 * four async round trips per file (stat, open, read, close) cost more than the hashing.
 */
export function hashSmallFileSync(file: string): FileHashes {
  return { md5: crypto.createHash('md5').update(fs.readFileSync(file)).digest('hex') };
}

/**
 * MD5 of a large file, streamed, and from `threshold` bytes on the ETag S3 gives it when
 * uploaded in parts of `partSize` bytes (the MD5 of the part MD5s, a dash, the number of parts).
 */
export async function hashLargeFile(file: string, size: number, multipart?: { threshold: number; partSize: number }): Promise<FileHashes> {
  if (multipart !== undefined && size >= multipart.threshold) {
    const { md5, multipart: multipartEtag } = await etagsOfFile(file, multipart.partSize);
    return { md5, multipartEtag };
  }
  const hash = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return { md5: hash.digest('hex') };
}
