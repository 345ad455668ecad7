/** Identifiers CloudFront puts on responses (spec/cloudfront.md §4.1; formats [obs]). */
import crypto from 'node:crypto';

const ID_BYTES = 40; // 40 bytes -> 56 base64 characters ending in "==", like real X-Amz-Cf-Id values
const POOL_IDS = 256;

/** A source of opaque request ids (`X-Amz-Cf-Id`, log `x-edge-request-id`): URL-safe base64, 56 characters. */
export function requestIdSource(): () => string {
  const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
  let next = POOL_IDS;
  return () => {
    if (next === POOL_IDS) {
      crypto.randomFillSync(pool);
      next = 0;
    }
    const start = next++ * ID_BYTES;
    return `${pool.toString('base64url', start, start + ID_BYTES)}==`;
  };
}

/** `Via: 1.1 <32 hex>.cloudfront.net (CloudFront)`, one name per edge. */
export function viaHeader(): string {
  return `1.1 ${crypto.randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`;
}

/** The local edge's POP code, in CloudFront's format (airport-like code, number, suffix). */
export const LOCAL_POP = 'LCL50-C1';
