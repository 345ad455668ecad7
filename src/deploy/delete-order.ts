import { isHtml } from '../behavior/headers.js';
import type { PlanAction } from './types.js';

/**
 * The plan's deletes in the order they run: pages and other short-lived objects first, then the
 * rest, so a removed page never outlives an asset it names. Pure, one pass.
 */
export function orderDeletes(actions: readonly Pick<PlanAction, 'key' | 'action' | 'shortTtl' | 'headers'>[]): [pages: string[], rest: string[]] {
  const pages: string[] = [];
  const rest: string[] = [];
  for (const a of actions) {
    if (a.action !== 'delete') continue;
    (a.shortTtl || isHtml(a.headers?.contentType ?? '') ? pages : rest).push(a.key);
  }
  return [pages, rest];
}
