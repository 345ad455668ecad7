/**
 * `Accept-Encoding` normalization (spec/cloudfront.md §2.6).
 *
 * With gzip and/or brotli enabled in the cache policy, CloudFront reduces the viewer's header to
 * `br,gzip`, `br`, `gzip` or nothing, puts that in the cache key and forwards it (or `identity`)
 * to the origin. Every other coding (`deflate`, ...) is dropped. Undocumented details follow the
 * spec's recommendation: tokens match case-insensitively, q-values are ignored except that
 * `q=0` means "not accepted", and `*` is not read as either coding.
 */

export type Coding = 'br' | 'gzip';

export interface NormalizedEncoding {
  /** The value in the cache key: `br,gzip`, `br`, `gzip`, or `''` (nothing added). */
  key: '' | 'br,gzip' | 'br' | 'gzip';
  /** What the origin request would carry, or `undefined` when the header is not forwarded. */
  forward: string | undefined;
}

const NOTHING: NormalizedEncoding = { key: '', forward: undefined };

/** Codings named in an `Accept-Encoding` header with a non-zero q-value (lower-case). */
export function acceptedCodings(header: string): { gzip: boolean; br: boolean } {
  let gzip = false;
  let br = false;
  for (const part of header.split(',')) {
    const semi = part.indexOf(';');
    const token = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (token !== 'gzip' && token !== 'br') continue;
    if (semi !== -1 && /(?:^|;)\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i.test(part.slice(semi))) continue;
    if (token === 'gzip') gzip = true;
    else br = true;
  }
  return { gzip, br };
}

/**
 * The normalized value for a viewer request.
 *
 * @param header the viewer's `Accept-Encoding` (all lines joined with `,`), or undefined
 * @param policy which codings the cache policy enables
 * @param httpVersion the viewer's HTTP version (`1.0` requests lose the header, §2.6)
 */
export function normalizeAcceptEncoding(
  header: string | undefined,
  policy: { gzip: boolean; brotli: boolean },
  httpVersion = '1.1',
): NormalizedEncoding {
  if (header === undefined || httpVersion === '1.0' || httpVersion === '0.9') return NOTHING;
  // Neither enabled: an ordinary header, neither keyed nor forwarded unless a policy lists it.
  if (!policy.gzip && !policy.brotli) return NOTHING;
  const { gzip, br } = acceptedCodings(header);
  const useGzip = policy.gzip && gzip;
  const useBr = policy.brotli && br;
  if (useBr && useGzip) return { key: 'br,gzip', forward: 'br,gzip' };
  if (useBr) return { key: 'br', forward: 'br' };
  if (useGzip) return { key: 'gzip', forward: 'gzip' };
  return { key: '', forward: 'identity' };
}

/** The coding CloudFront compresses with for a normalized key: Brotli is preferred (§3.1). */
export function preferredCoding(key: NormalizedEncoding['key']): Coding | undefined {
  if (key === 'br,gzip' || key === 'br') return 'br';
  if (key === 'gzip') return 'gzip';
  return undefined;
}
