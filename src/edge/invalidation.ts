/**
 * Invalidation paths (spec/cloudfront.md §8.1, §8.3): checked as CloudFront's API checks them,
 * compiled once to matchers over the cached objects' paths.
 *
 * - every path starts with `/`; at most 4,000 characters; `~` is not supported;
 * - `*` is a wildcard only as the last character (a prefix match); anywhere else it is literal;
 * - paths are case-sensitive; `/about` and `/about/` are different objects;
 * - when query strings are in the cache key, the object's path includes them: `/p` does not
 *   remove `/p?a=1`, `/p*` does;
 * - every variant of a path (encodings, headers, cookies) goes at once, cached errors too.
 */
import { EdgeshipError, EXIT } from '../errors.js';

export const MAX_INVALIDATION_PATH = 4_000;
/** §8.3: in progress at one time, per distribution (applied here per request: the edge completes at once). */
export const MAX_INDIVIDUAL_PATHS = 3_000;
export const MAX_WILDCARD_PATHS = 15;

export type PathMatcher = (objectPath: string) => boolean;

/** Why CloudFront would reject this path, or undefined. */
export function invalidationPathProblem(p: string): string | undefined {
  if (typeof p !== 'string' || p.length === 0) return 'is empty';
  if (!p.startsWith('/')) return `"${p}" must start with "/" (InvalidArgument)`;
  if (p.length > MAX_INVALIDATION_PATH) return `is ${p.length} characters; at most ${MAX_INVALIDATION_PATH}`;
  if (p.includes('~') || /%7e/i.test(p)) return `"${p}" contains "~", which CloudFront invalidations do not support`;
  return undefined;
}

/** Checks a batch of paths; throws an EdgeshipError naming every bad path or the exceeded quota. */
export function validateInvalidation(paths: readonly string[]): void {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new EdgeshipError('INVALIDATION_EMPTY', 'an invalidation needs at least one path', { exitCode: EXIT.usage, hint: 'pass paths such as /index.html or "/*"' });
  }
  const problems = paths.map((p) => [p, invalidationPathProblem(p)] as const).filter(([, problem]) => problem !== undefined);
  if (problems.length > 0) {
    throw new EdgeshipError('INVALID_ARGUMENT', `invalid invalidation path: ${problems.map(([, problem]) => problem).join('; ')}`, {
      exitCode: EXIT.usage,
      hint: 'paths start with "/", and "*" is a wildcard only as the last character',
    });
  }
  const wildcards = paths.filter((p) => p.endsWith('*')).length;
  const individual = paths.length - wildcards;
  if (wildcards > MAX_WILDCARD_PATHS || individual > MAX_INDIVIDUAL_PATHS) {
    throw new EdgeshipError(
      'TOO_MANY_INVALIDATIONS_IN_PROGRESS',
      `${individual} individual and ${wildcards} wildcard paths; CloudFront allows ${MAX_INDIVIDUAL_PATHS} and ${MAX_WILDCARD_PATHS} in progress`,
      { exitCode: EXIT.usage, hint: 'collapse paths into wildcards such as /blog/*' },
    );
  }
}

/** One matcher for a validated batch. */
export function compileInvalidation(paths: readonly string[]): PathMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of paths) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (objectPath) => exact.has(objectPath) || prefixes.some((prefix) => objectPath.startsWith(prefix));
}
