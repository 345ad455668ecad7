/**
 * Redirect loops found before anything is deployed: from every redirect rule's source (a
 * pattern's filled with `x`), the redirects are followed as a browser would, over the same
 * matcher the function runs. A path seen twice is a loop; a chain past `MAX_HOPS` is reported
 * as one too (a rule such as `/a/* /a/b/:splat` grows the path forever).
 */
import { compileRules, lookupPath, resolveRedirect, samplePath } from './match.js';
import { isRewrite, type RedirectDialect, type RedirectRule } from './types.js';

/** Browsers give up after about 20 redirects; a site chain of 10 is already a bug. */
export const MAX_HOPS = 10;

export interface RedirectLoop {
  /** The lines of the rules taken, in order. */
  lines: number[];
  /** The paths visited, the repeated one last. */
  paths: string[];
  endless: boolean;
}

export function findLoops(rules: readonly RedirectRule[], dialect: RedirectDialect, existing: ReadonlySet<string> = new Set()): RedirectLoop[] {
  const compiled = compileRules(rules, dialect);
  const loops: RedirectLoop[] = [];
  const reported = new Set<string>();
  for (const rule of rules) {
    // A rewrite (200, or a status such as Netlify's 404) is no redirect: the browser does not follow it.
    if (isRewrite(rule.status)) continue;
    const loop = follow(samplePath(rule), compiled, dialect, existing);
    if (!loop) continue;
    // One report per cycle, whichever rule of it the walk started from.
    const id = [...new Set(loop.lines)].sort((a, b) => a - b).join(',');
    if (reported.has(id)) continue;
    reported.add(id);
    loops.push(loop);
  }
  return loops;
}

function follow(start: string, compiled: ReturnType<typeof compileRules>, dialect: RedirectDialect, existing: ReadonlySet<string>): RedirectLoop | undefined {
  const paths = [start];
  const seen = new Set([lookupPath(start, dialect)]);
  const lines: number[] = [];
  let path = start;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const answer = resolveRedirect(compiled, { path, fileExists: existing.has(lookupPath(path, dialect)) }, dialect);
    if (!answer || isRewrite(answer.status) || !answer.target.startsWith('/')) return undefined;
    lines.push(answer.rule.line);
    path = answer.target.split(/[?#]/)[0]!;
    paths.push(path);
    const key = lookupPath(path, dialect);
    if (seen.has(key)) return { lines, paths, endless: false };
    seen.add(key);
  }
  return { lines, paths, endless: true };
}
