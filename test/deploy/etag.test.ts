import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../src/deploy/etag.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeship-etag-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest();

describe('hashFile', () => {
  it('gives the MD5 of a small file and no multipart ETag', async () => {
    const f = path.join(dir, 'small');
    fs.writeFileSync(f, 'hello');
    expect(await hashFile(f, { threshold: 100, partSize: 10 })).toEqual({ md5: '5d41402abc4b2a76b9719d911017c592' });
  });

  it('gives the S3 multipart ETag (MD5 of the part MD5s, dash, part count) at or above the threshold', async () => {
    const bytes = crypto.randomBytes(2_500_000);
    const f = path.join(dir, 'big');
    fs.writeFileSync(f, bytes);
    const partSize = 1_000_000;
    const parts = [bytes.subarray(0, partSize), bytes.subarray(partSize, 2 * partSize), bytes.subarray(2 * partSize)];
    const expected = `${crypto.createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3`;
    const hashes = await hashFile(f, { threshold: 2_000_000, partSize });
    expect(hashes.md5).toBe(md5(bytes).toString('hex'));
    expect(hashes.multipartEtag).toBe(expected);
  });
});
