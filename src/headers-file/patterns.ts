/**
 * How `_headers` paths relate to CloudFront path patterns (spec §1.2): which paths a behavior
 * can take as its own pattern, which hold one another, and which share any path at all.
 * Paths and patterns are compared without their leading `/`.
 */
import { globMatch, patternProblem, stripLeadingSlash } from '../behavior/pattern.js';

/** The literal part of a pattern before its first wildcard. */
function literalPrefix(pattern: string): string {
  const p = stripLeadingSlash(pattern);
  const wild = p.search(/[*?]/);
  return wild === -1 ? p : p.slice(0, wild);
}

export const isExact = (p: string) => !/[*?]/.test(p);
export const isPrefix = (p: string) => /^[^*?]*\*$/.test(stripLeadingSlash(p));

/**
 * Why a `_headers` path cannot be a behavior's pattern as it is, or `undefined` when it can:
 * an exact path or a prefix then `*`, in the characters CloudFront accepts. Two patterns of
 * those forms are nested or disjoint, which keeps placing them exact.
 */
export function patternFormProblem(path: string): string | undefined {
  if (/:[A-Za-z]/.test(path) || !(isExact(path) || isPrefix(path))) return 'has placeholders or a "*" before its end, which no CloudFront path pattern expresses';
  return patternProblem(stripLeadingSlash(path));
}

/** Whether every path `inner` matches also matches `outer` (both exact or prefix forms, or CloudFront patterns). */
export function covers(outer: string, inner: string): boolean {
  const o = stripLeadingSlash(outer);
  const i = stripLeadingSlash(inner);
  if (isExact(o)) return o === i;
  if (isExact(i)) return globMatch(o, i);
  return isPrefix(o) && literalPrefix(i).startsWith(literalPrefix(o));
}

/**
 * A `_headers` path as a glob that matches at least the same paths: a `:name` placeholder (one
 * segment) widened to `*`. Used only to ask which behaviors a path can reach.
 */
export function ruleGlob(path: string): string {
  return stripLeadingSlash(path).replace(/:[A-Za-z]\w*/g, '*');
}

/**
 * Whether two globs (`*` any run, `?` one character, the rest literal) match a common path.
 * A walk over both at once, memoised on the two positions: O(|a| x |b|).
 */
export function globsIntersect(a: string, b: string): boolean {
  const seen = new Set<number>();
  const walk = (i: number, j: number): boolean => {
    if (i === a.length && j === b.length) return true;
    const key = i * (b.length + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (a[i] === '*') return walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    if (b[j] === '*') return walk(i, j + 1) || (i < a.length && walk(i + 1, j));
    if (i === a.length || j === b.length) return false;
    return (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && walk(i + 1, j + 1);
  };
  return walk(0, 0);
}
