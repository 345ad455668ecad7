import type { SiteModel } from '../config/model.js';

/**
 * Whether the site has a KeyValueStore: the functions that call `cf.kvs()` get it, in the
 * stack (synth) and at the local edge alike. A site has one when it configures `edge.kvs`, or
 * when its `_redirects` is compiled into a function (exact paths are looked up in the store).
 */
export function siteHasKvs(site: Pick<SiteModel, 'edge' | 'redirects'>): boolean {
  return site.edge.kvs !== undefined || site.redirects !== undefined;
}
