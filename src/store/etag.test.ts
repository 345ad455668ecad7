import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EtagAccumulator, etagMatches, md5Hex, multipartEtagOfFile, unquoteEtag } from './etag.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

/** S3's rule written out plainly: md5(concat(md5(part_i)))-N. */
function reference(bytes: Buffer, partSize: number): string {
  const digests: Buffer[] = [];
  for (let i = 0; i < bytes.length || digests.length === 0; i += partSize) digests.push(md5(bytes.subarray(i, i + partSize)));
  return `${md5(Buffer.concat(digests)).toString('hex')}-${digests.length}`;
}

describe('multipart ETag', () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 255));

  it.each([
    [100, 10],
    [300, 4],
    [1000, 1],
    [999, 2],
    [4096, 1],
  ])('with %i-byte parts matches md5(concat(md5(part)))-N with N = %i', (partSize, parts) => {
    const acc = new EtagAccumulator(partSize);
    // Chunk boundaries that do not line up with part boundaries.
    for (let i = 0; i < bytes.length; i += 37) acc.update(bytes.subarray(i, i + 37));
    const d = acc.digest();
    expect(d.multipart).toBe(reference(bytes, partSize));
    expect(d.multipart.endsWith(`-${parts}`)).toBe(true);
    expect(d.parts).toBe(parts);
    expect(d.md5).toBe(md5Hex(bytes));
    expect(d.size).toBe(1000);
  });

  it('of an empty body is one empty part', () => {
    expect(new EtagAccumulator(10).digest().multipart).toBe(`${md5(md5(Buffer.alloc(0))).toString('hex')}-1`);
  });

  it('of a file equals the in-memory computation', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'edgeship-etag-'));
    try {
      const file = path.join(dir, 'f.bin');
      await writeFile(file, bytes);
      expect(await multipartEtagOfFile(file, 300)).toBe(reference(bytes, 300));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('etagMatches and unquoteEtag', () => {
  it('unquotes strong and weak ETags', () => {
    expect(unquoteEtag('"abc"')).toBe('abc');
    expect(unquoteEtag('W/"abc"')).toBe('abc');
    expect(unquoteEtag('abc')).toBe('abc');
    expect(unquoteEtag(undefined)).toBe('');
  });
  it('accepts the plain MD5 or the multipart ETag, in any case, and nothing else', () => {
    const expected = { md5: 'aa'.repeat(16), multipart: `${'bb'.repeat(16)}-3` };
    expect(etagMatches(`"${'AA'.repeat(16)}"`, expected)).toBe(true);
    expect(etagMatches(`${'bb'.repeat(16)}-3`, expected)).toBe(true);
    expect(etagMatches(`${'bb'.repeat(16)}-4`, expected)).toBe(false);
    expect(etagMatches('cc'.repeat(16), expected)).toBe(false);
  });
});
