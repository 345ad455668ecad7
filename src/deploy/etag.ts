import crypto from 'node:crypto';
import fs from 'node:fs';

export interface FileHashes {
  md5: string;
  /** Set when the file is at least the multipart threshold: the ETag of an upload in parts. */
  multipartEtag?: string;
}

/**
 * MD5 of a file, and the ETag S3 gives it when uploaded in parts of `partSize` bytes:
 * the MD5 of the concatenated binary part MD5s, a dash, and the number of parts.
 * Reads the file once, as a stream.
 */
export async function hashFile(file: string, multipart?: { threshold: number; partSize: number }): Promise<FileHashes> {
  const whole = crypto.createHash('md5');
  const size = (await fs.promises.stat(file)).size;
  const inParts = multipart !== undefined && size >= multipart.threshold;
  const partDigests: Buffer[] = [];
  let part = crypto.createHash('md5');
  let inPart = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    if (!inParts) continue;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, multipart.partSize - inPart);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === multipart.partSize) {
        partDigests.push(part.digest());
        part = crypto.createHash('md5');
        inPart = 0;
      }
    }
  }
  const md5 = whole.digest('hex');
  if (!inParts) return { md5 };
  if (inPart > 0) partDigests.push(part.digest());
  return { md5, multipartEtag: multipartEtagOf(partDigests) };
}

/** `<md5 of the part digests>-<count>`, as S3 computes it for a completed multipart upload. */
export function multipartEtagOf(partDigests: readonly Buffer[]): string {
  const md5 = crypto.createHash('md5').update(Buffer.concat(partDigests)).digest('hex');
  return `${md5}-${partDigests.length}`;
}

/** Whether a stored object's ETag says it holds these bytes. */
export function etagMatches(etag: string, file: { md5: string; multipartEtag?: string }): boolean {
  const bare = etag.replace(/^W\//, '').replace(/"/g, '');
  return bare === file.md5 || (file.multipartEtag !== undefined && bare === file.multipartEtag);
}
