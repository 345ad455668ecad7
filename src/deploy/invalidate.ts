import type { SiteModel } from '../config/model.js';
import { DEPLOY_ERRORS, badInput } from './errors.js';
import type { CloudFrontInvalidationOptions } from './invalidate-cloudfront.js';
import { deliverInvalidation, type InvalidationOutcome } from './invalidation.js';
import { encodeInvalidationPath, invalidationPathProblem, reduceInvalidationPaths, viewerPathsForKey } from './invalidation-paths.js';
import { resolveTarget } from './deploy.js';
import { openTargetStore } from './target.js';

/**
 * The paths to send for what a user typed, by the same rules deploy uses: a page is
 * invalidated in every form a viewer reaches it (`/about`, `/about/`, `/about/index.html`), a
 * trailing `*` is a wildcard, anything else is one path (URL-encoded where CloudFront needs it).
 */
export function expandUserPaths(input: readonly string[], defaultRootObject = 'index.html'): string[] {
  const out: string[] = [];
  for (const raw of input) {
    const problem = invalidationPathProblem(raw);
    if (problem) throw badInput(DEPLOY_ERRORS.badInvalidationPath, `invalidation path "${raw}" ${problem}`, `write it as "/${raw.replace(/^\/*/, '')}"`);
    if (raw.endsWith('*')) {
      out.push(`${encodeInvalidationPath(raw.slice(0, -1))}*`);
      continue;
    }
    const key = raw.slice(1);
    if (key === '' || key.endsWith('/')) out.push(...viewerPathsForKey(`${key}${defaultRootObject}`, defaultRootObject));
    else if (key === defaultRootObject || key.endsWith(`/${defaultRootObject}`)) out.push(...viewerPathsForKey(key, defaultRootObject));
    else out.push(encodeInvalidationPath(raw));
  }
  return out;
}

export interface InvalidateOptions {
  target?: string;
  cloudfront?: CloudFrontInvalidationOptions;
  now?: () => Date;
}

/** `edgeship invalidate`: expands and reduces the paths, then delivers them as a deploy would. */
export async function invalidatePaths(site: SiteModel, input: readonly string[], options: InvalidateOptions = {}): Promise<InvalidationOutcome> {
  if (input.length === 0) throw badInput(DEPLOY_ERRORS.badInvalidationPath, 'no path given', 'name at least one path, e.g. edgeship invalidate /about');
  const target = resolveTarget(site, options.target);
  const paths = reduceInvalidationPaths(expandUserPaths(input, site.defaultRootObject));
  const store = await openTargetStore(target.store, site.deploy);
  const now = options.now ?? (() => new Date());
  try {
    return await deliverInvalidation(site, target, store, paths, `edgeship-invalidate-${now().getTime()}`, { cloudfront: options.cloudfront, now });
  } finally {
    (store as { destroy?: () => void }).destroy?.();
  }
}
