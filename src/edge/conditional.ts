/**
 * Viewer conditional requests (spec/cloudfront.md §4.5). AWS does not describe them; the spec
 * recommends RFC 9110/9111 behaviour: `If-None-Match` (weak comparison) takes precedence over
 * `If-Modified-Since`, and a match answers `304 Not Modified` without a body.
 */

/** The opaque part of an entity tag, `W/` removed (weak comparison, RFC 9110 §8.8.3.2). */
function opaque(tag: string): string {
  const t = tag.trim();
  return t.startsWith('W/') ? t.slice(2) : t;
}

/** Whether an `If-None-Match` header matches the stored `ETag` (`*` matches any stored representation). */
export function noneMatch(header: string, etag: string | undefined): boolean {
  if (header.trim() === '*') return true;
  if (etag === undefined) return false;
  const want = opaque(etag);
  return header.split(',').some((t) => opaque(t) === want);
}

export interface ConditionalInput {
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Only `200` responses are revalidated with a `304`. */
  status: number;
  /** The behavior forwards cookies: then CloudFront does not support these headers (§2.5, §4.5). */
  cookiesForwarded: boolean;
}

/** Whether the viewer's conditional request is answered with `304 Not Modified`. */
export function notModified(input: ConditionalInput): boolean {
  if (input.status !== 200 || input.cookiesForwarded) return false;
  if (input.ifNoneMatch !== undefined) return noneMatch(input.ifNoneMatch, input.etag);
  if (input.ifModifiedSince !== undefined && input.lastModified !== undefined) {
    const since = Date.parse(input.ifModifiedSince);
    const modified = Date.parse(input.lastModified);
    if (Number.isNaN(since) || Number.isNaN(modified)) return false;
    return modified <= since;
  }
  return false;
}
