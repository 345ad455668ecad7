/** Identifiers CloudFront puts on responses (spec/cloudfront.md §4.1; formats [obs]). */
import crypto from 'node:crypto';

const ID_CHARS = 54; // + "==": 56 characters, like real X-Amz-Cf-Id values (40 bytes in base64)
const POOL_IDS = 256;

/** A source of opaque request ids (`X-Amz-Cf-Id`, log `x-edge-request-id`): URL-safe base64, 56 characters. */
export function requestIdSource(): () => string {
  // One random fill and one encoding per 256 ids: the hit path pays an array read. Each id is
  // decoded from its own bytes, so it is a flat string (Node checks every header value, and a
  // concatenated one would be copied first).
  const random = Buffer.alloc((ID_CHARS * POOL_IDS * 3) / 4);
  const ascii = Buffer.alloc((ID_CHARS + 2) * POOL_IDS);
  let ids: string[] = [];
  let next = POOL_IDS;
  return () => {
    if (next === POOL_IDS) {
      crypto.randomFillSync(random);
      const text = random.toString('base64url');
      for (let i = 0; i < POOL_IDS; i++) ascii.write(`${text.slice(i * ID_CHARS, (i + 1) * ID_CHARS)}==`, i * (ID_CHARS + 2), 'latin1');
      ids = Array.from({ length: POOL_IDS }, (_, i) => ascii.toString('latin1', i * (ID_CHARS + 2), (i + 1) * (ID_CHARS + 2)));
      next = 0;
    }
    return ids[next++]!;
  };
}

/** `Via: 1.1 <32 hex>.cloudfront.net (CloudFront)`, one name per edge. */
export function viaHeader(): string {
  return `1.1 ${crypto.randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`;
}

/** The local edge's POP code, in CloudFront's format (airport-like code, number, suffix). */
export const LOCAL_POP = 'LCL50-C1';
