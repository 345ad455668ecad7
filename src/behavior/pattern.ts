/**
 * CloudFront cache-behavior path patterns (spec/cloudfront.md §1.2).
 *
 * - `*` matches zero or more characters and crosses `/`; `?` matches exactly one character
 *   (including `/`, the recommended reading of an undocumented point).
 * - The pattern must match the whole path; matching is case-sensitive; the query string is
 *   ignored; a leading `/` is optional on both sides.
 * - Matching uses the raw (percent-encoded) path as received.
 *
 * Hand-written rather than compiled to a RegExp: a viewer controls the path, and a pattern
 * such as `*a*a*a*b` compiled to `.*a.*a.*a.*b` backtracks exponentially on a long path.
 * This matcher is the classic single-backtrack-point glob walk: O(pattern × path) at worst.
 */

/** Characters CloudFront accepts in a path pattern, besides the `*` and `?` wildcards. */
const ALLOWED = /^[A-Za-z0-9_\-.*?$/~"'@:+&]*$/;
export const ALLOWED_PATTERN_CHARS = `A-Z a-z 0-9 _ - . * ? $ / ~ " ' @ : + &`;
export const MAX_PATTERN_LENGTH = 255;

export function stripLeadingSlash(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

/** The pattern in the form compared: no leading `/`. Two patterns with equal canonical forms match the same paths. */
export function canonicalPattern(pattern: string): string {
  return stripLeadingSlash(pattern);
}

/** Why CloudFront would refuse this pattern, or `undefined` when it is acceptable. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty; use "*" for the default behavior';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is ${pattern.length} characters long; CloudFront accepts at most ${MAX_PATTERN_LENGTH}`;
  }
  if (!ALLOWED.test(pattern)) {
    const bad = [...new Set([...pattern].filter((c) => !ALLOWED.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return `has characters CloudFront does not accept (${bad}); allowed: ${ALLOWED_PATTERN_CHARS}`;
  }
  return undefined;
}

/** Whether a CloudFront path pattern matches a request path (query string ignored). */
export function matchPattern(pattern: string, requestPath: string): boolean {
  const q = requestPath.indexOf('?');
  const path = stripLeadingSlash(q === -1 ? requestPath : requestPath.slice(0, q));
  return globMatch(canonicalPattern(pattern), path);
}

/** Anchored glob match of `*` / `?` against a string; every other character is literal. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1; // position after the last `*` seen
  let starT = 0; // text position that `*` is currently assumed to have consumed up to
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = ++p;
      starT = t;
    } else if (pc !== undefined && (pc === '?' || pc === text[t])) {
      p++;
      t++;
    } else if (starP !== -1) {
      p = starP;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
