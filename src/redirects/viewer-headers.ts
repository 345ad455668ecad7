/**
 * The request headers CloudFront must add for the compiled url-handler to answer the site's
 * `_redirects` as written. A Netlify `Country=` condition reads `CloudFront-Viewer-Country`
 * (templates/redirects.js), and CloudFront adds that header, for the viewer-request function as
 * for the origin, only when the behavior's cache policy or origin request policy names it
 * ("Add CloudFront request headers",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-cloudfront-headers.html;
 * the "Redirect the viewer to a new URL" function example asks for the same). Without it the
 * condition never holds and the rule never fires. Language conditions read `Accept-Language`,
 * which the viewer sends and every function sees, so they need nothing.
 *
 * One rule for the behavior table, which the local edge and the stack are both built from.
 */
import type { SiteRedirects } from './types.js';

/** CloudFront's header with the viewer's country (ISO 3166-1 alpha-2), as CloudFront spells it. */
export const COUNTRY_HEADER = 'CloudFront-Viewer-Country';

/** Whether a behavior whose viewer-request function is `file` answers the rules: only the functions they were compiled into do. */
export function runsRedirects(redirects: Pick<SiteRedirects, 'compiled'> | undefined, file: string | undefined): boolean {
  return file !== undefined && redirects !== undefined && Object.values(redirects.compiled).includes(file);
}

/** The CloudFront headers the rules read on a behavior whose viewer-request function is `file` (absolute, as in the model). */
export function redirectsViewerHeaders(redirects: Pick<SiteRedirects, 'compiled' | 'rules'> | undefined, file: string | undefined): string[] {
  if (!redirects || !runsRedirects(redirects, file)) return [];
  return redirects.rules.some((r) => r.conditions.country !== undefined) ? [COUNTRY_HEADER] : [];
}
