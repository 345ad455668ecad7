import { describe, expect, it } from 'vitest';
import { requestIdSource, viaHeader } from './ids.js';

describe('request ids (X-Amz-Cf-Id)', () => {
  it('are 56 URL-safe base64 characters ending in "==", and distinct across pool refills', () => {
    const next = requestIdSource();
    const ids = Array.from({ length: 1_000 }, () => next());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('differ between sources (each worker has its own)', () => {
    expect(requestIdSource()()).not.toBe(requestIdSource()());
  });
});

describe('Via', () => {
  it('names a 32-hex host under cloudfront.net', () => {
    expect(viaHeader()).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
  });
});
