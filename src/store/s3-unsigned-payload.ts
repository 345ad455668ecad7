import type * as S3 from '@aws-sdk/client-s3';
import type { BuildMiddleware } from '@smithy/types';

/**
 * A put that carries Content-MD5 is sent with `x-amz-content-sha256: UNSIGNED-PAYLOAD`: S3
 * checks the body against the MD5 (and edgeship checks the answered ETag), so the SDK's own
 * SHA-256 of every buffered body would only cost CPU (a third of a first deploy's hashing).
 * Streamed bodies are unsigned already.
 */
export const unsignedPayloadWithMd5: BuildMiddleware<S3.ServiceInputTypes, S3.ServiceOutputTypes> = (next) => async (args) => {
  const headers = (args.request as { headers?: Record<string, string> }).headers;
  if (headers !== undefined && Object.keys(headers).some((h) => h.toLowerCase() === 'content-md5')) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  return next(args);
};

export const UNSIGNED_PAYLOAD_OPTIONS = { step: 'build', name: 'edgeshipUnsignedPayloadWithMd5' } as const;
