/**
 * §0 step 10 (compression, §3): an origin response is compressed once, before it is cached, when
 * the §3.1 rules say CloudFront would; the cached variant carries its own headers (§3.2, §3.4).
 */
import { preferredCoding } from '../accept-encoding.js';
import { compressBody, compressedEtag, compressionFor } from '../compression.js';
import type { HeaderMap } from '../contracts.js';
import type { Ctx } from './types.js';

interface Representation {
  headers: HeaderMap;
  body: Buffer;
}

/** The representation to cache for this request: compressed when §3.1 says so, else as the origin sent it. */
export async function compressIfDue(ctx: Pick<Ctx, 'rt' | 'ae'>, status: number, headers: HeaderMap, body: Buffer): Promise<Representation> {
  const coding = compressionFor({
    behaviorCompress: ctx.rt.behavior.compress,
    acceptEncodingKeyed: ctx.rt.acceptEncodingKeyed,
    coding: preferredCoding(ctx.ae.key),
    status,
    contentEncoding: headers['content-encoding'] as string | undefined,
    contentLength: body.length,
    contentType: headers['content-type'] as string | undefined,
    range: false,
  });
  if (!coding) return { headers, body };
  return { headers: compressedHeaders(headers, coding), body: await compressBody(body, coding) };
}

/** The headers of a compressed variant: Content-Encoding, Vary (§3.4), the weakened ETag (§3.2). */
export function compressedHeaders(headers: HeaderMap, coding: 'br' | 'gzip'): HeaderMap {
  const out: HeaderMap = { ...headers, 'content-encoding': coding };
  // §3.4 (recommended): Vary: Accept-Encoding on compressed responses.
  const vary = out.vary as string | undefined;
  if (!vary) out.vary = 'Accept-Encoding';
  else if (!/accept-encoding/i.test(vary)) out.vary = `${vary}, Accept-Encoding`;
  const etag = compressedEtag(out.etag as string | undefined);
  if (etag === undefined) delete out.etag;
  else out.etag = etag;
  return out;
}
