import { describe, expect, it } from 'vitest';
import { emptyManifest, parseManifest, serializeManifest } from '../../src/deploy/manifest.js';
import type { Manifest } from '../../src/deploy/types.js';

describe('deploy manifest format', () => {
  const manifest: Manifest = {
    version: 1,
    deploys: [{ id: 7, at: '2026-03-01T00:00:00.000Z' }],
    entries: {
      'index.html': { md5: 'a'.repeat(32), etag: 'a'.repeat(32), size: 10, cacheControl: 'public, max-age=0', contentType: 'text/html; charset=utf-8', firstDeploy: 2 },
      'big.bin': { md5: 'b'.repeat(32), etag: `${'c'.repeat(32)}-3`, size: 30_000_000, cacheControl: 'public, max-age=0', contentType: 'application/octet-stream', firstDeploy: 7 },
      'café/x.js': { md5: 'd'.repeat(32), etag: 'd'.repeat(32), size: 1, cacheControl: 'public, max-age=31536000, immutable', contentType: 'text/javascript', firstDeploy: 1, lastDeploy: 6, removedAt: '2026-02-01T00:00:00.000Z' },
    },
  };

  it('round-trips every field', () => {
    expect(parseManifest(serializeManifest(manifest), 'test')).toEqual(manifest);
    expect(parseManifest(serializeManifest(emptyManifest()), 'test')).toEqual(emptyManifest());
  });

  it('is small: about 40 bytes per key for thousands of hashed keys', () => {
    const big: Manifest = { version: 1, deploys: [], entries: {} };
    for (let i = 0; i < 3000; i++) {
      const md5 = (i * 2654435761).toString(16).padStart(8, '0').repeat(4);
      big.entries[`_next/static/chunks/c${i}-${md5.slice(0, 16)}.js`] = { md5, etag: md5, size: 20_000 + i, cacheControl: 'public, max-age=31536000, immutable', contentType: 'text/javascript; charset=utf-8', firstDeploy: 1 };
    }
    expect(serializeManifest(big).length).toBeLessThan(3000 * 40);
  });

  it('names the store key and the fix when it cannot be read', () => {
    expect(() => parseManifest(Buffer.from('not brotli'), 's3://b/ .edgeship/deploy-manifest.json.br')).toThrow(
      expect.objectContaining({ code: 'DEPLOY_BAD_MANIFEST', hint: expect.stringMatching(/delete the object/) }),
    );
  });
});
