import { describe, expect, it } from 'vitest';
import { storeKeyFor } from './object-key.js';

describe('viewer URI -> store key (never escapes the store)', () => {
  it('decodes once, as S3 does', () => {
    expect(storeKeyFor('/with%20space.txt')).toEqual({ ok: true, key: 'with space.txt' });
    expect(storeKeyFor('/caf%C3%A9.html')).toEqual({ ok: true, key: 'café.html' });
    expect(storeKeyFor('/a/b.html')).toEqual({ ok: true, key: 'a/b.html' });
  });
  it.each(['/..%2fetc/passwd', '/%2e%2e/x', '/a/%2E%2E/%2e%2e/x', '/a%00b', '/a%5c..%5cx', '/a\\b', '/./x', '/.edgeship/manifest.json', '/.edgeship'])(
    '%s is answered as a missing key',
    (uri) => {
      expect(storeKeyFor(uri)).toEqual({ ok: false, reason: 'not-found' });
    },
  );
  it.each(['/%c0%ae%c0%ae/x', '/%', '/%zz', '/%ed%a0%80'])('%s is not valid percent-encoded UTF-8 -> 400', (uri) => {
    expect(storeKeyFor(uri)).toEqual({ ok: false, reason: 'bad-request' });
  });
});
