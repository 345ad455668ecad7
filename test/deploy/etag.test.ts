import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashLargeFile, hashSmallFileSync, needsStream, WHOLE_READ_LIMIT } from '../../src/deploy/etag.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-etag-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest();

describe('file hashes', () => {
  it.each([
    [5, undefined, false],
    [WHOLE_READ_LIMIT, undefined, false],
    [WHOLE_READ_LIMIT + 1, undefined, true], // streamed
    [99, { threshold: 100 }, false],
    [100, { threshold: 100 }, true], // uploaded in parts: its multipart ETag too
  ])('a file of %i bytes with multipart %j is streamed: %s', (size, multipart, streamed) => {
    expect(needsStream(size, multipart)).toBe(streamed);
  });

  it('gives the MD5 of a small file and no multipart ETag', () => {
    const f = path.join(dir, 'small');
    fs.writeFileSync(f, 'hello');
    expect(hashSmallFileSync(f)).toEqual({ md5: '5d41402abc4b2a76b9719d911017c592' });
  });

  it('streams a large file to the same MD5', async () => {
    const bytes = crypto.randomBytes(WHOLE_READ_LIMIT + 10);
    const f = path.join(dir, 'large');
    fs.writeFileSync(f, bytes);
    expect(await hashLargeFile(f, bytes.length)).toEqual({ md5: md5(bytes).toString('hex') });
  });

  it('gives the S3 multipart ETag (MD5 of the part MD5s, dash, part count) at or above the threshold', async () => {
    const bytes = crypto.randomBytes(2_500_000);
    const f = path.join(dir, 'big');
    fs.writeFileSync(f, bytes);
    const partSize = 1_000_000;
    const parts = [bytes.subarray(0, partSize), bytes.subarray(partSize, 2 * partSize), bytes.subarray(2 * partSize)];
    const expected = `${crypto.createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3`;
    const hashes = await hashLargeFile(f, bytes.length, { threshold: 2_000_000, partSize });
    expect(hashes.md5).toBe(md5(bytes).toString('hex'));
    expect(hashes.multipartEtag).toBe(expected);
  });
});
