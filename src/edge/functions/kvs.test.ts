import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KVS_LIMITS, readKvsFile } from './kvs.js';
import { tempDir } from './test-helpers.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('KeyValueStore file (spec §7.5, §7.6)', () => {
  it('reads the CloudFront import format and counts keys', () => {
    const snap = readKvsFile(write('import.json', JSON.stringify({ data: [{ key: 'a', value: '1' }, { key: 'b', value: '{"x":1}' }] })));
    expect(snap.entries).toEqual({ a: '1', b: '{"x":1}' });
    expect(snap.meta.keyCount).toBe(2);
    expect(snap.meta.lastUpdatedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reads a plain object of strings', () => {
    expect(readKvsFile(write('plain.json', '{"k":"v","é":"ü"}')).entries).toEqual({ k: 'v', é: 'ü' });
  });

  it('accepts the limits exactly: a 512-byte key and a 1,024-byte value', () => {
    const key = 'k'.repeat(KVS_LIMITS.keyBytes);
    expect(readKvsFile(write('edge.json', JSON.stringify({ [key]: 'v'.repeat(KVS_LIMITS.valueBytes) }))).meta.keyCount).toBe(1);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /expected a JSON object/],
    ['a non-string value', '{"k":1}', /value of "k" is not a string/],
    ['a data entry without key', '{"data":[{"value":"v"}]}', /data\[0\] needs a string "key"/],
    ['a 513-byte key', JSON.stringify({ ['k'.repeat(513)]: 'v' }), /513 bytes; keys are 1 to 512 bytes/],
    ['a 1,025-byte value (multi-byte characters count as bytes)', JSON.stringify({ k: 'é'.repeat(513) }), /1026 bytes; values are at most 1024/],
    ['an empty key', '{"":"v"}', /keys are 1 to 512 bytes/],
  ])('refuses %s', (_label, text, message) => {
    const file = write('bad.json', text);
    expect(() => readKvsFile(file)).toThrow(message);
    expect(() => readKvsFile(file)).toThrow(expect.objectContaining({ code: 'KVS_INVALID', file }));
  });

  it('refuses a store over 5 MB', () => {
    const data = Array.from({ length: 5_300 }, (_, i) => ({ key: `key-${i}`, value: 'v'.repeat(1_000) }));
    expect(() => readKvsFile(write('huge.json', JSON.stringify({ data })))).toThrow(/at most 5242880/);
  });

  it('a missing file is a KVS_INVALID error naming it', () => {
    expect(() => readKvsFile(path.join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'KVS_INVALID' }));
  });
});
