import type { SiteModel } from '../config/model.js';

/**
 * Whether the site has a KeyValueStore: the functions that call `cf.kvs()` get it, in the
 * stack (synth) and at the local edge alike. A site has one when it configures `edge.kvs`, or
 * deploys atomically (its deploys write the pointers there), or when its `_redirects` is
 * compiled into a function (exact paths are looked up in the store).
 */
export function siteHasKvs(site: Pick<SiteModel, 'edge' | 'redirects'> & { deploy?: Pick<SiteModel['deploy'], 'atomic'> }): boolean {
  return site.edge.kvs !== undefined || site.redirects !== undefined || site.deploy?.atomic === true;
}
