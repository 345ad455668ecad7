import crypto from 'node:crypto';
import fs from 'node:fs';
import { etagsOfFile } from '../store/etag.js';

export { etagMatches } from '../store/etag.js';

const WHOLE_READ_LIMIT = 4 * 1024 * 1024;

export interface FileHashes {
  md5: string;
  /** Set when the file is at least the multipart threshold: the ETag of an upload in parts. */
  multipartEtag?: string;
}

/**
 * MD5 of a file and, from `threshold` bytes on, the ETag S3 gives it when uploaded in parts
 * of `partSize` bytes (the MD5 of the part MD5s, a dash, the number of parts). Reads the file once.
 */
export async function hashFile(file: string, multipart?: { threshold: number; partSize: number }): Promise<FileHashes> {
  const size = (await fs.promises.stat(file)).size;
  if (multipart !== undefined && size >= multipart.threshold) {
    const { md5, multipart: multipartEtag } = await etagsOfFile(file, multipart.partSize);
    return { md5, multipartEtag };
  }
  // Site files are small: one read beats a stream (a 1 MiB stream buffer per 20 KB file is mostly garbage).
  if (size <= WHOLE_READ_LIMIT) return { md5: crypto.createHash('md5').update(await fs.promises.readFile(file)).digest('hex') };
  const hash = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return { md5: hash.digest('hex') };
}
