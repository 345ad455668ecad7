/**
 * Invalidation paths, by CloudFront's rules (spec/cloudfront.md §8).
 *
 * Why a reducer: CloudFront bills per path (the first 1,000 paths a month are free, then
 * USD 0.005 each, §8.4), a wildcard path counts as one path however many objects it
 * removes, and at most 15 wildcard paths and 3,000 individual paths may be in progress at
 * once per distribution (§8.3; more fails with TooManyInvalidationsInProgress). So a deploy
 * sends the changed paths as they are while that is cheap, collapses a folder to `/folder/*`
 * when every object under it changed anyway (no collateral, fewer paths), and beyond a
 * per-deploy budget collapses the folders that save the most paths for the fewest unchanged
 * objects, up to a few wildcards, and finally `/*`.
 */

/** CloudFront's in-progress limits per distribution (§8.3). */
export const CLOUDFRONT_LIMITS = { individualPaths: 3_000, wildcardPaths: 15, pathLength: 4_000 } as const;

export interface ReduceOptions {
  /** Paths one deploy may use; above it folders collapse into wildcards. Default 30. */
  maxPaths?: number;
  /** Wildcard paths one deploy may use (leaves room under the 15 in progress). Default 5. */
  maxWildcards?: number;
  /** Every viewer path of the site: lets a wildcard be judged by what it removes needlessly. */
  allPaths?: readonly string[];
}

/**
 * Characters CloudFront wants URL-encoded in an invalidation path (§8.1): control characters,
 * space, RFC 1738 "unsafe" characters and every non-ASCII byte; nothing else. (A `~` cannot be
 * invalidated at all; it is encoded so that the request is at least accepted.)
 */
const UNSAFE = new Set([...' <>"#%{}|\\^~[]`']);

export function encodeInvalidationPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte <= 0x20 || byte >= 0x7f || UNSAFE.has(ch) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  // A `*` is a wildcard only as the last character: a key ending in `*` must stay literal.
  return out.endsWith('*') ? `${out.slice(0, -1)}%2A` : out;
}

/**
 * The viewer paths under which CloudFront may have cached an object: `about/index.html` is
 * reached as `/about/index.html`, `/about/` and (through the URL handler) `/about`; the
 * default root object also as `/`; a page written as `about.html` (Next.js' default layout) as
 * `/about.html` and `/about`. `/about` and `/about/` are different cache entries, and a URI a
 * viewer-request function rewrites is invalidated under both its forms (§8.1).
 */
export function viewerPathsForKey(key: string, defaultRootObject = 'index.html'): string[] {
  const paths = [encodeInvalidationPath(`/${key}`)];
  if (key === defaultRootObject) paths.unshift('/');
  const suffix = `/${defaultRootObject}`;
  if (key.endsWith(suffix)) {
    const dir = encodeInvalidationPath(`/${key.slice(0, -suffix.length)}`);
    paths.unshift(dir, `${dir}/`);
  } else if (key.endsWith('.html') && key !== defaultRootObject && !key.includes('/.')) {
    paths.unshift(encodeInvalidationPath(`/${key.slice(0, -'.html'.length)}`));
  }
  return paths;
}

/** Why a user-given path cannot be sent to CloudFront, or `undefined`. */
export function invalidationPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path.length > CLOUDFRONT_LIMITS.pathLength) return `is longer than ${CLOUDFRONT_LIMITS.pathLength} characters`;
  return undefined;
}

const isWildcard = (p: string) => p.endsWith('*');

/** A folder collapses without need only when its wildcard replaces at least this many paths. */
const MIN_FREE_COLLAPSE = 4;

/** Whether `paths` (exact or trailing-wildcard) invalidate the viewer path `p`. */
export function covers(paths: readonly string[], p: string): boolean {
  return paths.some((q) => q === p || (isWildcard(q) && p.startsWith(q.slice(0, -1))));
}

/** The smallest set of paths that covers `paths`, within the budget (see the comment at the top). */
export function reduceInvalidationPaths(paths: readonly string[], options: ReduceOptions = {}): string[] {
  const maxPaths = options.maxPaths ?? 30;
  const maxWildcards = Math.min(options.maxWildcards ?? 5, CLOUDFRONT_LIMITS.wildcardPaths);
  let set = [...new Set(paths)];
  if (set.includes('/*')) return ['/*'];
  // Paths already under a wildcard the caller gave are covered by it.
  set = dropCovered(set);
  if (set.length === 0) return [];

  const all = options.allPaths ? new Set([...options.allPaths, ...set]) : undefined;
  // Paths of `all` under each folder, counted once: a site has thousands, asked about per folder.
  const under = new Map<string, number>();
  for (const p of all ?? []) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      const dir = p.slice(0, i + 1);
      under.set(dir, (under.get(dir) ?? 0) + 1);
    }
  }
  /** Paths under `dir` that did not change (are not in the set): what a wildcard there would also clear. */
  const collateral = (dir: string) => (all ? (under.get(dir) ?? 0) - set.filter((p) => p.startsWith(dir) && all.has(p)).length : 0);

  // 1. Free collapses: a folder all of whose paths changed (known only with allPaths), when that
  //    saves enough paths to be worth one of the few wildcard slots.
  if (all) {
    for (const dir of folders(set).sort((a, b) => a.length - b.length)) {
      if (set.filter(isWildcard).length >= maxWildcards) break;
      const covered = set.filter((p) => !isWildcard(p) && p.startsWith(dir));
      if (covered.length >= MIN_FREE_COLLAPSE && collateral(dir) === 0) set = dropCovered([...set, `${dir}*`]);
    }
  }

  // 2. Over budget: collapse the folder that saves the most paths per unchanged object it hits.
  while (set.length > maxPaths) {
    const wildcards = set.filter(isWildcard).length;
    let best: { dir: string; score: number } | undefined;
    if (wildcards < maxWildcards) {
      for (const dir of folders(set)) {
        const saved = set.filter((p) => p.startsWith(dir)).length - 1;
        if (saved <= 0) continue;
        const score = saved / (collateral(dir) + 1);
        if (!best || score > best.score || (score === best.score && dir.length < best.dir.length)) best = { dir, score };
      }
    }
    if (!best) return ['/*'];
    set = dropCovered([...set, `${best.dir}*`]);
  }
  return set.sort();
}

/** Folders (`/a/`, `/a/b/`) that contain at least one exact path of the set, root excluded. */
function folders(set: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of set) {
    if (isWildcard(p)) continue;
    let i = p.indexOf('/', 1);
    while (i !== -1 && i < p.length - 1) {
      out.add(p.slice(0, i + 1));
      i = p.indexOf('/', i + 1);
    }
    // `/about/*` also covers `/about/` itself: the wildcard is a prefix match, `*` may be empty.
    if (p.endsWith('/') && p.length > 1) out.add(p);
  }
  return [...out];
}

function dropCovered(set: readonly string[]): string[] {
  const prefixes = set.filter(isWildcard).map((w) => w.slice(0, -1));
  return [...new Set(set.filter((p) => !prefixes.some((prefix) => p !== `${prefix}*` && p.startsWith(prefix))))];
}
