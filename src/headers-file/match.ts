/**
 * Which `_headers` rules apply to a URL path, with the semantics both platforms document for
 * `_headers` paths: `*` matches any run of characters (`/` included), a `:name` placeholder one
 * path segment, everything else literally; the path is compared as sent (no trailing-slash
 * folding, as CloudFront's path patterns compare it, so a rule compiled into a behavior and a
 * rule run by the viewer-response function read a path alike). Every matching rule applies,
 * in file order (policy.ts `mergedHeaders`).
 */
import { sourceRegExp } from '../redirects/match.js';
import type { HeaderRule } from './parse.js';
import { mergedHeaders } from './policy.js';

/** The anchored RegExp source of a `_headers` path (the same source the viewer-response function runs). */
export function headerPathSource(path: string): string {
  return sourceRegExp(path, 'cloudflare').source;
}

/** The rules whose path matches a URL path (percent-encoded, without the query string). */
export function rulesFor(rules: readonly HeaderRule[], urlPath: string): HeaderRule[] {
  return rules.filter((rule) => new RegExp(headerPathSource(rule.path)).test(urlPath));
}

/** The headers `_headers` gives a URL path: lower-case name to the name as written and the joined value. */
export function headersFor(rules: readonly HeaderRule[], urlPath: string): Map<string, { name: string; value: string }> {
  return mergedHeaders(rulesFor(rules, urlPath));
}
